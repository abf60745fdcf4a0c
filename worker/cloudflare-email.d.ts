// The one part of workerd's "cloudflare:email" module the worker uses (worker/mailer-workers.ts):
// the global workers-types script that declares it is not loaded next to Node's and the DOM's types.
declare module 'cloudflare:email' {
  export class EmailMessage {
    constructor(from: string, to: string, raw: ReadableStream | string);
    readonly from: string;
    readonly to: string;
  }
}
