import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import wordListPath from 'word-list';
import { REAL_WORDS, SLIPS, withSlipsRead } from './spelling.js';

// English, as one word list spells it (274,000 words): a slip that is a word is the word, never a misspelling.
const ENGLISH: ReadonlySet<string> = new Set(readFileSync(wordListPath, 'utf8').split('\n'));

describe('the slips read as words of evidence', () => {
  it('are no English words', () => {
    const words = [...SLIPS.keys()].filter((slip) => ENGLISH.has(slip));
    expect(words).toEqual([]);
  });

  it('leave out only English words', () => {
    expect([...REAL_WORDS].filter((word) => !ENGLISH.has(word))).toEqual([]);
  });

  it("hold the misspellings of the corpus's real replies", () => {
    // corpus rows 717 ("recipient e-mail adress unknown"), 2611 ("Only one receipient accepted"), 3953 ("unknow
    // mailbox"), and the spellings the lexicons had listed one by one from real replies
    expect(
      Object.fromEntries(
        [
          'adress',
          'receipient',
          'unknow',
          'recipent',
          'reciepient',
          'exsist',
          'exisit',
          'exsits',
          'nonexistant',
        ].map((slip) => [slip, SLIPS.get(slip)]),
      ),
    ).toEqual({
      adress: 'address',
      receipient: 'recipient',
      unknow: 'unknown',
      recipent: 'recipient',
      reciepient: 'recipient',
      exsist: 'exist',
      exisit: 'exist',
      exsits: 'exists',
      nonexistant: 'nonexistent',
    });
  });

  it("are never another language's word for the same thing with an ending added", () => {
    for (const word of [
      'existe',
      'invalide',
      'invalido',
      'recipiente',
      'domaine',
      'adresse',
      'existente',
      'cliente',
    ])
      expect(SLIPS.has(word)).toBe(false);
  });
});

describe('withSlipsRead', () => {
  it('writes each slip as meant, in its own case, and leaves every other word as it is', () => {
    expect(withSlipsRead('550 Recipent adress UNKOWN, exit 3; addressed to _')).toBe(
      '550 Recipient address UNKNOWN, exit 3; addressed to _',
    );
  });

  it('reads only whole words: not inside a longer word, a tag, an id or a hyphenated name', () => {
    const text = 'unkownish x-adress adress_id mx1-unkown recipent2 [adress]';
    expect(withSlipsRead(text)).toBe('unkownish x-adress adress_id mx1-unkown recipent2 [address]');
  });
});
