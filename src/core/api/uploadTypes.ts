// The file types NemoVideo accepts (docs/protocol.md §8: the official 13, plus
// `.jpeg`) and the MIME type NemoVideo's own CLI sends for each.

export const UPLOAD_MIME_TYPES: Readonly<Record<string, string>> = {
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  avi: 'video/x-msvideo',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
};

/** The plain-language list shown with 4001 (§11) and the local pre-check. */
export const ACCEPTED_FORMATS_TEXT =
  'video (MP4, MOV, AVI, WebM, MKV), image (JPG, PNG, GIF, WebP) or audio (MP3, WAV, M4A, AAC)';

/** The lower-case extension without the dot, or '' when there is none. */
export function fileExtension(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** The MIME type to send, or undefined when the type is not accepted. */
export function uploadMimeType(fileName: string): string | undefined {
  const ext = fileExtension(fileName);
  return Object.prototype.hasOwnProperty.call(UPLOAD_MIME_TYPES, ext) ? UPLOAD_MIME_TYPES[ext] : undefined;
}
