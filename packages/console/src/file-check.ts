/** What the console makes of a chosen file before anything is uploaded. */
export type FileCheck =
  | { kind: 'text'; mediaType: string; warning: string | null }
  | { kind: 'spreadsheet'; mediaType: string }
  | { kind: 'refused'; message: string };

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const SAVE_AS_CSV = 'Save it as "CSV UTF-8" (or as .xlsx) and choose that file.';
/** How much of a file is read to tell text from binary. */
const SNIFF_BYTES = 64 * 1024;

const startsWith = (bytes: Uint8Array, ...prefix: number[]) =>
  prefix.every((byte, index) => bytes[index] === byte);
const extensionOf = (name: string) => /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';

/**
 * Refuses, with a message that says what to do, what the prober would refuse or misread: an empty file, an old or
 * encrypted Office file, an OpenDocument sheet, a PDF or archive, UTF-16 text, any other binary. An .xlsx goes as it is.
 */
export async function checkListFile(file: Blob, name: string): Promise<FileCheck> {
  if (file.size === 0) return { kind: 'refused', message: 'The file is empty: there is nothing to verify.' };
  const bytes = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  const extension = extensionOf(name);
  // Compound File Binary: an .xls, or an .xlsx/.docx saved with a password (Office encrypts into this container).
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
    return {
      kind: 'refused',
      message:
        extension === 'xls'
          ? `This is an old Excel (.xls) workbook, which is not read here. ${SAVE_AS_CSV}`
          : `The file is encrypted (protected with a password), so it cannot be read. Remove the password or ${SAVE_AS_CSV}`,
    };
  }
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) {
    if (extension === 'xlsx') return { kind: 'spreadsheet', mediaType: XLSX_TYPE };
    // The prober reads .xlsx only (its reader library has no OpenDocument support).
    if (extension === 'ods')
      return {
        kind: 'refused',
        message: 'OpenDocument (.ods) sheets are not read here: save it as .xlsx or as "CSV UTF-8".',
      };
    return { kind: 'refused', message: `This is a compressed (zip) file, not a list. ${SAVE_AS_CSV}` };
  }
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46))
    return { kind: 'refused', message: `This is a PDF, not a list. ${SAVE_AS_CSV}` };
  if (startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff))
    return { kind: 'refused', message: `The file is UTF-16 text ("Unicode text"). ${SAVE_AS_CSV}` };
  if (extension === 'xlsx')
    return {
      kind: 'refused',
      message: `The file is named .${extension} but is not a spreadsheet. ${SAVE_AS_CSV}`,
    };
  // Text never holds NUL or most C0 controls; tab, CR, LF and form feed are fine.
  if (bytes.some((byte) => byte === 0 || (byte < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d].includes(byte))))
    return { kind: 'refused', message: `This looks like a binary file, not a list. ${SAVE_AS_CSV}` };
  let text: string;
  let warning: string | null = null;
  try {
    // `stream` keeps a character cut at the end of the sample from counting as an error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    text = new TextDecoder('latin1').decode(bytes);
    warning = `The file is not UTF-8, so accented letters may come back changed. ${SAVE_AS_CSV}`;
  }
  if (file.size <= SNIFF_BYTES && text.replace(/^\uFEFF/, '').trim() === '')
    return { kind: 'refused', message: 'The file is empty: there is nothing to verify.' };
  return { kind: 'text', mediaType: 'text/csv', warning };
}
