import { readFileSync } from 'node:fs';
import { KINDS_BY_CLASS } from '../../events/v1';
import { EVENTS_DOC_PATH, renderEventsDoc } from '../../events/v1/generate-docs';
import { RAW_SAMPLES } from '../../events/v1/samples';

/** Table rows as trimmed cells, so assertions do not depend on column padding. */
const tableRows = (markdown: string): string[][] =>
  markdown
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );

describe('docs/events.md', () => {
  const rendered = renderEventsDoc();
  const rows = tableRows(rendered);

  it('matches what the schemas and samples render (run `npm run docs:events` after changing them)', () => {
    const onDisk = readFileSync(EVENTS_DOC_PATH, 'utf8');
    expect(onDisk).toBe(rendered);
  });

  it('renders the same text twice (nothing time- or order-dependent)', () => {
    expect(renderEventsDoc()).toBe(rendered);
  });

  it('has a section with a field table for every kind and shows every sample', () => {
    for (const kind of new Set(Object.values(KINDS_BY_CLASS).flat())) {
      expect(rendered).toContain(`### \`${kind}\``);
    }
    for (const name of Object.keys(RAW_SAMPLES)) expect(rendered).toContain(`events/v1/samples/${name}.json`);
  });

  it('states the constraints the validator enforces', () => {
    expect(rows).toContainEqual(['`sentences`', 'string[]', 'yes', '1–100 items; each: 1–200 chars']);
    expect(rows).toContainEqual([
      '`containers`',
      'string[]',
      'yes',
      'at most 4 items; each: pattern `^[A-Za-z0-9 ]{1,16}$`, at most 16 chars',
    ]);
    expect(rows).toContainEqual(['`observedAt`', 'string', 'yes', 'ISO-8601 date-time with offset (`Z` or `±hh:mm`)']);
    expect(rows).toContainEqual(['`anomalies[].confidence`', 'number', 'yes', '0 ≤ x ≤ 1']);
    expect(rows).toContainEqual(['`direction`', '`"in"` \\| `"out"`', 'yes', '—']);
  });

  it('documents the stream record with the topic rule SQL and an example record', () => {
    expect(rendered).toContain('## Stream record (Kinesis)');
    expect(rendered).toContain("SELECT encode(*, 'base64') AS raw");
    expect(rendered).toContain('"deviceClass": "rpm"');
  });
});
