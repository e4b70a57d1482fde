import { describe, expect, it } from 'vitest';
import { columnParameter, previewList } from './csv-preview.js';

describe('previewList', () => {
  it('finds a Mailchimp-style "Email Address" header among other columns', () => {
    const preview = previewList('First Name,Last Name,Email Address,Tags\nAnn,Lee,ann@acme.test,"a,b"\n');
    expect(preview.hasHeader).toBe(true);
    expect(preview.columns).toEqual(['First Name', 'Last Name', 'Email Address', 'Tags']);
    expect(preview.detected).toBe(2);
    expect(preview.rows).toEqual([['Ann', 'Lee', 'ann@acme.test', 'a,b']]);
    expect(columnParameter(preview, 2)).toBe('Email Address');
  });

  it('reads Excel exports: BOM and ";" delimiter, header names compared without case or punctuation', () => {
    const preview = previewList('\uFEFFName;E-Mail\r\nAnn;ann@acme.test\r\nBob;bob@acme.test\r\n');
    expect(preview.delimiter).toBe(';');
    expect(preview.columns).toEqual(['Name', 'E-Mail']);
    expect(preview.detected).toBe(1);
  });

  it('falls back to the one column that mostly holds addresses', () => {
    const preview = previewList(
      'id\tcontact\tnote\n1\tann@acme.test\tx\n2\tbob@acme.test\ty\n3\tnot-yet\tz\n',
    );
    expect(preview.delimiter).toBe('\t');
    expect(preview.detected).toBe(1);
    expect(columnParameter(preview, 1)).toBe('contact');
  });

  it('treats a list without a header as data and names columns by number', () => {
    const preview = previewList('ann@acme.test\nbob@acme.test\n');
    expect(preview.hasHeader).toBe(false);
    expect(preview.columns).toEqual(['Column 1']);
    expect(preview.rows).toHaveLength(2);
    expect(preview.detected).toBe(0);
    expect(columnParameter(preview, 0)).toBe('1');
  });

  it('detects nothing when two columns hold addresses equally, or none does', () => {
    expect(previewList('work,home\nann@acme.test,ann@home.test\n').detected).toBe(-1);
    expect(previewList('name,city\nAnn,Oslo\n').detected).toBe(-1);
  });

  it('keeps quoted newlines inside one cell', () => {
    const preview = previewList('email,notes\nann@acme.test,"line one\nline two"\n');
    expect(preview.rows).toEqual([['ann@acme.test', 'line one\nline two']]);
  });
});
