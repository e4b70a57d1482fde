import { describe, expect, it } from 'vitest';
import { detectAddressColumn, isAddressColumnName, normalizeColumnName } from './address-column.js';

const rows = (...lines: string[]) => lines.map((line) => line.split(','));

describe('detectAddressColumn', () => {
  it.each([
    ['Email Address', true],
    ['E-mail', true],
    [' work_email ', true],
    ['EMAIL', true],
    ['Mail', true],
    ['Email Opt In', false],
    ['Name', false],
  ])('knows %j as an address header: %s', (name, known) => {
    expect(isAddressColumnName(name)).toBe(known);
  });

  it('normalizes case, spaces and punctuation', () => {
    expect(normalizeColumnName(' E-Mail_Address ')).toBe('emailaddress');
  });

  it('takes a known header (Mailchimp, HubSpot) wherever it stands', () => {
    expect(
      detectAddressColumn(
        rows('First Name,Last Name,Email Address', 'Ann,Lee,ann@x.test', 'Bo,Li,bo@x.test'),
      ),
    ).toEqual({ ok: true, index: 2, hasHeader: true });
    expect(detectAddressColumn(rows('Record ID,Email,First Name', '1,ann@x.test,Ann'))).toEqual({
      ok: true,
      index: 1,
      hasHeader: true,
    });
  });

  it('finds the one column holding addresses when no header is known, with or without a header row', () => {
    expect(detectAddressColumn(rows('id,contact,note', '1,ann@x.test,hi', '2,bo@x.test,yo'))).toEqual({
      ok: true,
      index: 1,
      hasHeader: true,
    });
    expect(detectAddressColumn(rows('1,ann@x.test', '2,bo@x.test'))).toEqual({
      ok: true,
      index: 1,
      hasHeader: false,
    });
  });

  it('follows column by name or 1-based number, and skips the header row for a number', () => {
    const sample = rows('name,Work Email,Personal', 'Ann,ann@corp.test,ann@home.test');
    expect(detectAddressColumn(sample, 'personal')).toEqual({ ok: true, index: 2, hasHeader: true });
    expect(detectAddressColumn(sample, '3')).toEqual({ ok: true, index: 2, hasHeader: true });
    expect(detectAddressColumn(rows('ann@x.test,1'), 1)).toEqual({ ok: true, index: 0, hasHeader: false });
  });

  it('refuses ambiguous, missing and empty choices with a message naming the columns', () => {
    const twoColumns = detectAddressColumn(rows('a,b', 'ann@x.test,bo@x.test'));
    expect(twoColumns).toMatchObject({ ok: false });
    expect(!twoColumns.ok && twoColumns.message).toMatch(/several columns hold addresses.*1 "a", 2 "b"/);
    const none = detectAddressColumn(rows('name,city', 'Ann,Oslo'));
    expect(!none.ok && none.message).toMatch(/no column looks like email addresses.*1 "name", 2 "city"/);
    const noSuch = detectAddressColumn(rows('name,email', 'Ann,ann@x.test'), 'mail address');
    expect(!noSuch.ok && noSuch.message).toMatch(/no such header.*2 "email"/);
    const outOfRange = detectAddressColumn(rows('name,email'), '5');
    expect(!outOfRange.ok && outOfRange.message).toMatch(/column 5: no such column/);
    // A header that says email over a column without a single address is not verified silently.
    const hollow = detectAddressColumn(rows('email,name', 'Ann,Lee', 'Bo,Li'), 'email');
    expect(!hollow.ok && hollow.message).toMatch(/holds no addresses/);
  });
});
