import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Condition, DEFAULT_RISK_PROFILE } from '../../shared/domain/risk';

/** docs/risk-engine.md describes the default profile; these tests keep the prose from drifting from the data. */

const doc = readFileSync(join(__dirname, '../../docs/risk-engine.md'), 'utf8');

/** Table rows as trimmed cells. */
const rows = doc
  .split('\n')
  .filter((line) => line.startsWith('| '))
  .map((line) =>
    line
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim()),
  );

/** The condition as the table writes it. */
function render(c: Condition): string {
  if ('op' in c) return `${c.field} ${c.op} ${JSON.stringify(c.value)}`;
  if ('all' in c) return c.all.map(render).join(' and ');
  if ('any' in c) return c.any.map(render).join(' or ');
  if ('not' in c) return `not (${render(c.not)})`;
  return `anyItem(${render(c.anyItem)})`;
}

describe('docs/risk-engine.md', () => {
  it.each(DEFAULT_RISK_PROFILE.criteria.map((c) => [c.id, c] as const))(
    'lists %s as the profile defines it',
    (id, c) => {
      const row = rows.find((r) => r[0] === `\`${id}\``);
      expect(row?.slice(0, 7)).toEqual([
        `\`${id}\``,
        c.directions.join(', '),
        `\`${render(c.condition)}\``,
        c.lane,
        String(c.weight),
        `\`${c.reasonCode}\``,
        c.note,
      ]);
      expect(row?.[7]?.length).toBeGreaterThan(20);
    },
  );

  it('lists every default value range with its bounds', () => {
    const usd = (n: number) => n.toLocaleString('en-US');
    for (const r of DEFAULT_RISK_PROFILE.valueRanges) {
      const basis = r.basis === 'kg' ? 'per kg' : `per \`${r.unit}\``;
      expect(rows).toContainEqual([r.hsPrefix, basis, usd(r.minUsd), usd(r.maxUsd), expect.any(String)]);
    }
  });

  it('has no default-rule row for a rule the profile lacks', () => {
    const ids = new Set(DEFAULT_RISK_PROFILE.criteria.map((c) => `\`${c.id}\``));
    const ruleRows = rows.filter((r) => r.length === 8 && r[0] !== 'id' && !r[0]?.startsWith('---'));
    expect(ruleRows).toHaveLength(ids.size);
    for (const r of ruleRows) expect(ids.has(r[0] ?? '')).toBe(true);
  });
});
