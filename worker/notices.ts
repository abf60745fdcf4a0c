// Staff notices by e-mail (never to reporters): once a day, a member who gave an address is told
// that there is new activity from reporters, and that a deadline is near. The words are fixed:
// no reference, no content, no count, nothing about a reporter; the console says the rest to
// whoever signs in. Run by the scheduled work (worker/scheduled.ts; Node also every 5 minutes).
//
// Once a day at a fixed hour, not as activity happens: a notice sent minutes after a reporter
// wrote would tell the unit's mail system (and anyone reading its logs) when the reporter was
// active, finer than the day the service itself keeps.
import { hasDeadlineBy, noticeRecipients, recordNotice } from '../db/repo/notices.js';
import type { ParleyDb } from '../db/database.js';
import { addDays, dayIn, hourIn } from '../web/casework/calendar.js';

export interface NoticeMessage {
  to: string;
  subject: string;
  text: string;
}

/** How notices leave: SMTP on Node (worker/mailer-smtp.ts), the send_email binding on Workers (worker/mailer-workers.ts). */
export interface Mailer {
  send(message: NoticeMessage): Promise<void>;
}

export interface NoticeSender {
  mailer: Mailer;
  /** Where staff sign in (PARLEY_CONSOLE_URL); without it the notice names no link. */
  consoleUrl?: string;
}

/** A deadline this many days away or fewer (or past) is "near". */
export const DEADLINE_NEAR_DAYS = 2;
/** The hour, in the unit's time zone, from which its members' daily notice is due. */
export const NOTICE_HOUR = 7;

export function noticeMessage(to: string, news: { activity: boolean; deadline: boolean }, consoleUrl?: string): NoticeMessage {
  const lines = [
    ...(news.activity ? ['There is new activity from reporters in Parley.'] : []),
    ...(news.deadline ? ['A deadline is near or has passed in Parley.'] : []),
    '',
    consoleUrl ? `Sign in to the console to see it: ${consoleUrl}` : 'Sign in to the Parley console to see it.',
    '',
    'This notice says nothing more on purpose. To stop these notices, clear your notice address in the console (Account).',
  ];
  const subject = news.activity && news.deadline ? 'Parley: new activity, and a deadline near' : news.activity ? 'Parley: new activity' : 'Parley: a deadline is near';
  return { to, subject, text: `${lines.join('\n')}\n` };
}

/**
 * One notice per member with news; what they were told is recorded only after it is sent, so a
 * failed send is tried again on the next run. Returns how many were sent.
 */
export async function sendStaffNotices(deps: { db: ParleyDb; notices?: NoticeSender | undefined }, now: number): Promise<number> {
  const sender = deps.notices;
  if (!sender) return 0;
  const deadlineNear = new Map<string, Promise<boolean>>();
  let sent = 0;
  for (const r of await noticeRecipients(deps.db)) {
    const today = dayIn(now, r.timeZone);
    // The day's notice is due from NOTICE_HOUR on, once; whatever happens later waits for tomorrow's.
    if (hourIn(now, r.timeZone) < NOTICE_HOUR || r.noticeDay === today) continue;
    const activity = r.reporterActivity > r.activitySeen;
    if (!deadlineNear.has(r.orgId)) deadlineNear.set(r.orgId, hasDeadlineBy(deps.db, r.orgId, addDays(today, DEADLINE_NEAR_DAYS)));
    const deadline = await deadlineNear.get(r.orgId)!;
    if (activity || deadline) {
      try {
        await sender.mailer.send(noticeMessage(r.email, { activity, deadline }, sender.consoleUrl));
      } catch {
        continue; // tried again on the next run; one bad address does not stop the others
      }
      sent++;
    }
    // Recorded with nothing to tell too: a reporter who writes later today is told of tomorrow.
    await recordNotice(deps.db, r.memberId, { activitySeen: r.reporterActivity, noticeDay: today });
  }
  return sent;
}
