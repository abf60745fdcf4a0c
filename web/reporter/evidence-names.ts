// The names files are sent under, and their sizes in words. A file's own name can identify the
// reporter ("IMG_20240301_Jane's phone.jpg"), so what is sent is neutral: evidence-1.jpg, …,
// with only an extension taken from the type sent (or, failing that, from the name's own ending).
import { t } from '../i18n/i18n.js';

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif', 'image/heic': 'heic', 'image/heif': 'heif',
  'application/pdf': 'pdf', 'text/plain': 'txt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt', 'application/msword': 'doc',
  'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'audio/ogg': 'ogg', 'audio/wav': 'wav', 'video/mp4': 'mp4', 'video/quicktime': 'mov', 'video/webm': 'webm',
};

/** evidence-<position>.<extension>: nothing of the original name but a plain extension. */
export function neutralName(position: number, type: string, originalName: string): string {
  const ending = /\.([A-Za-z0-9]{1,5})$/.exec(originalName)?.[1]?.toLowerCase();
  const extension = EXTENSIONS[type] ?? ending;
  return extension ? `evidence-${position}.${extension}` : `evidence-${position}`;
}

/** "850 KB", "2.4 MB" (of 1024: so the 100 MiB limit reads "100 MB"), one decimal at most, in the page's words for the units. */
export function sizeText(bytes: number): string {
  const kb = bytes / 1024;
  if (kb < 1000) return t('files.sizeKb', { size: Math.max(1, Math.round(kb)) });
  return t('files.sizeMb', { size: Math.round(kb / 102.4) / 10 });
}
