import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IncidentType } from '../../events/v1/incidents';
import { AGENCY_PLANS } from '../../shared/domain/incidents/agency-plan';
import { INCIDENT_TYPE_OF_ALERT } from '../../shared/domain/incidents/raise-from';

// docs/joint-control.md states the agency plan per incident type; this keeps it in line with AGENCY_PLANS.

const doc = readFileSync(join(__dirname, '../../docs/joint-control.md'), 'utf8');
const section = (heading: string) => {
  const start = doc.indexOf(`### ${heading}`);
  const end = doc.indexOf('\n### ', start + 4);
  return doc.slice(start, end === -1 ? undefined : end);
};
const rows = (markdown: string) =>
  markdown
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );

describe('docs/joint-control.md', () => {
  const table = rows(section('Agency responsibilities per incident type'));

  it('has one row per incident type, with the plan’s severity and agencies', () => {
    expect(table.map((r) => r[0])).toEqual(IncidentType.options.map((t) => `\`${t}\``));
    for (const [type, severity, agencies] of table) {
      const plan = AGENCY_PLANS[IncidentType.parse(type?.replaceAll('`', ''))];
      expect(severity?.startsWith(plan.severity)).toBe(true);
      expect(agencies?.startsWith(plan.agencies.join(', '))).toBe(true);
      for (const a of plan.agencies) expect(agencies).toContain(a);
    }
  });

  it('names every alert type that raises an incident', () => {
    const causes = section('What raises an incident');
    for (const [alert, type] of Object.entries(INCIDENT_TYPE_OF_ALERT)) {
      expect(causes).toContain(`\`${alert}\``);
      expect(causes).toContain(`\`${type}\``);
    }
  });
});
