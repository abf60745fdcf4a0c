// The console's decisions about a decrypted attachment: which bytes are an image it may show, and
// the name it saves a file under, whatever name and type the sender put in the descriptor.
import { describe, expect, it } from 'vitest';
import { mayBeViewable, safeDownloadName, sniffImageType } from '../../web/console/attachment-safety.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('sniffImageType', () => {
  it('knows JPEG, PNG and WebP by their first bytes', () => {
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('image/jpeg');
    expect(sniffImageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d))).toBe('image/png');
    expect(sniffImageType(ascii('RIFF\x24\x00\x00\x00WEBPVP8 '))).toBe('image/webp');
  });

  it('refuses everything else, whatever it claims to be: SVG, HTML, GIF, a RIFF that is not WebP, too few bytes', () => {
    for (const head of [ascii('<svg xmlns="http://www.w3.org/2000/svg">'), ascii('<!doctype html><script>'), ascii('GIF89a'), ascii('RIFF\x24\x00\x00\x00WAVEfmt '), bytes(0xff, 0xd8), bytes()]) {
      expect(sniffImageType(head)).toBeNull();
    }
  });

  it('offers "View" only for the declared types it could show (the bytes still decide)', () => {
    expect(['image/jpeg', 'image/png', 'image/webp', 'IMAGE/PNG'].map(mayBeViewable)).toEqual([true, true, true, true]);
    expect(['image/svg+xml', 'text/html', 'image/gif', 'application/pdf', 'image/jpeg; x=1'].map(mayBeViewable)).toEqual([false, false, false, false, false]);
  });
});

describe('safeDownloadName', () => {
  it('keeps an ordinary name with an extension that opens in a viewer', () => {
    expect(safeDownloadName('evidence-1.jpg', 'image/jpeg')).toBe('evidence-1.jpg');
    expect(safeDownloadName('statement.pdf', null)).toBe('statement.pdf');
    expect(safeDownloadName('notes.TXT', null)).toBe('notes.txt');
  });

  it('leaves no folder in the name', () => {
    for (const name of ['../../.bashrc', '..\\..\\Startup\\run.txt', '/etc/passwd', 'C:\\Windows\\x.txt']) {
      const safe = safeDownloadName(name, null);
      expect(safe).not.toMatch(/[/\\:]/);
      expect(safe.startsWith('.')).toBe(false);
    }
  });

  it('drops controls and the bidi characters that make "gpj.exe" read as "exe.jpg"', () => {
    const safe = safeDownloadName('photo\u202Egpj.exe', null);
    expect(safe).toBe('photogpj.exe.bin');
    expect(safeDownloadName('a\u0000b\u0007c\u200Bd\u2066e\u2069.txt', null)).toBe('abcde.txt');
    expect(safeDownloadName('line\nbreak\r.txt', null)).toBe('linebreak.txt');
  });

  it('puts .bin after an extension that would run or render: programs, scripts, web pages, SVG, macros', () => {
    for (const extension of ['exe', 'bat', 'cmd', 'scr', 'js', 'vbs', 'html', 'htm', 'svg', 'hta', 'lnk', 'msi', 'ps1', 'jar', 'sh', 'docm', 'xlsm', 'desktop']) {
      expect(safeDownloadName(`evidence.${extension}`, null)).toBe(`evidence.${extension}.bin`);
    }
    expect(safeDownloadName('README', null)).toBe('README.bin');
  });

  it('names an image by what its bytes are, not by what the sender called it', () => {
    expect(safeDownloadName('evidence-1.png', 'image/jpeg')).toBe('evidence-1.png.jpg');
    expect(safeDownloadName('evidence.html', 'image/png')).toBe('evidence.html.png');
    expect(safeDownloadName('photo.jpeg', 'image/jpeg')).toBe('photo.jpeg');
    // Called a photo but not one: not handed to an image viewer under a false name.
    expect(safeDownloadName('photo.jpg', null)).toBe('photo.jpg.bin');
  });

  it('is never empty, hidden, a device name or overlong', () => {
    expect(safeDownloadName('', null)).toBe('attachment.bin');
    expect(safeDownloadName('...', null)).toBe('attachment.bin');
    expect(safeDownloadName('.hidden.txt', null)).toBe('hidden.txt');
    expect(safeDownloadName('name. ', null)).toBe('name.bin');
    expect(safeDownloadName('CON.txt', null)).toBe('_CON.txt');
    expect(safeDownloadName('nul', null)).toBe('_nul.bin');
    expect(safeDownloadName(`${'x'.repeat(300)}.pdf`, null)).toBe(`${'x'.repeat(100)}.pdf`);
  });
});
