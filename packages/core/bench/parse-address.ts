// Address parsing cost, normal and padded inputs (prints figures; asserts nothing). The padded ones are the attack
// of issue #23: linear now, so their cost per character matches a normal address's.
// Run: pnpm --filter @mailprobe/core bench
import { parseAddress } from '../src/index.js';
import { countVisits } from '../src/syntax/work-meter.js';

const ROUNDS = 20_000;
const WARM_UP = 2_000;

const INPUTS: Record<string, string> = {
  normal: 'john.doe@example.com',
  'display name': 'John Doe <john.doe@example.com>',
  'padded local part (1,020 spaces)': `a${' '.repeat(1020)}@b`,
  'padded domain (1,020 spaces)': `a@b${' '.repeat(1020)}.example`,
  'padded display name (1,020 spaces)': `John${' '.repeat(1020)}<a@b.example>`,
  'nested comments (1,020 parentheses)': `a${'('.repeat(510)}${')'.repeat(510)}@b.example`,
  'folding white space (340 CRLF SP)': `a${'\r\n '.repeat(340)}@b.example`,
};

console.log(`parseAddress, ${ROUNDS} calls each`);
for (const [name, input] of Object.entries(INPUTS)) {
  for (let round = 0; round < WARM_UP; round += 1) parseAddress(input);
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round += 1) parseAddress(input);
  const microseconds = ((performance.now() - started) * 1000) / ROUNDS;
  const { visits } = countVisits(() => parseAddress(input));
  console.log(
    `${name.padEnd(38)} ${String(input.length).padStart(5)} chars  ${microseconds.toFixed(2).padStart(7)} µs/call  ${String(visits).padStart(6)} characters visited`,
  );
}
