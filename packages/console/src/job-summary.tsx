import type { ConsoleJob } from './api.js';
import { countOf } from './words.js';

/** One bucket of a summary: its key (also the CSS colour), its words and how many fall in it. */
interface Bucket {
  key: string;
  label: string;
  count: number;
}

const ROW_LABELS = {
  deliverable: 'Deliverable',
  undeliverable: 'Undeliverable',
  risky: 'Risky (accepts all)',
  unknown: 'Unknown',
  skipped: 'Skipped (blank)',
  duplicate: 'Duplicate',
  pending: 'Not checked yet',
} as const;

/** The per-row buckets, or null when the server does not count rows. */
export function rowBuckets(job: ConsoleJob): Bucket[] | null {
  if (!job.rowCounts) return null;
  const counts = job.rowCounts;
  return (Object.keys(ROW_LABELS) as (keyof typeof ROW_LABELS)[]).map((key) => ({
    key,
    label: ROW_LABELS[key],
    count: counts[key] ?? 0,
  }));
}

/** The per distinct address buckets; from `counts` on a server that does not split risky from unknown. */
export function addressBuckets(job: ConsoleJob): Bucket[] {
  if (job.addressCounts) {
    const { deliverable, undeliverable, risky, unknown } = job.addressCounts;
    const pending = Math.max(0, job.total - deliverable - undeliverable - risky - unknown);
    return [
      { key: 'deliverable', label: ROW_LABELS.deliverable, count: deliverable },
      { key: 'undeliverable', label: ROW_LABELS.undeliverable, count: undeliverable },
      { key: 'risky', label: ROW_LABELS.risky, count: risky },
      { key: 'unknown', label: ROW_LABELS.unknown, count: unknown },
      { key: 'pending', label: ROW_LABELS.pending, count: pending },
    ];
  }
  const { VALID, INVALID, UNKNOWN } = job.counts;
  return [
    { key: 'deliverable', label: ROW_LABELS.deliverable, count: VALID },
    { key: 'undeliverable', label: ROW_LABELS.undeliverable, count: INVALID },
    { key: 'unknown', label: 'Unknown or risky', count: UNKNOWN },
    { key: 'pending', label: ROW_LABELS.pending, count: Math.max(0, job.total - VALID - INVALID - UNKNOWN) },
  ];
}

const CHART_WIDTH = 400;
const CHART_HEIGHT = 24;

/** A stacked bar (inline SVG, no script) and the numbers beside it, as a list a screen reader reads. */
function SummaryChart(props: {
  id: string;
  title: string;
  unit: [one: string, many: string];
  buckets: Bucket[];
}) {
  const total = props.buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  let x = 0;
  const described = props.buckets
    .filter((bucket) => bucket.count > 0)
    .map((bucket) => `${bucket.count} ${bucket.label.toLowerCase()}`)
    .join(', ');
  return (
    <figure class="summary" data-testid={`summary-${props.id}`}>
      <figcaption>
        <strong>{props.title}</strong> <span class="muted">({countOf(total, ...props.unit)})</span>
      </figcaption>
      <svg
        class="summary-chart"
        viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${props.title}: ${described || 'nothing yet'}`}
      >
        <rect class="bar-empty" x="0" y="0" width={CHART_WIDTH} height={CHART_HEIGHT} />
        {total > 0 &&
          props.buckets.map((bucket) => {
            const width = (bucket.count / total) * CHART_WIDTH;
            const part = (
              <rect
                key={bucket.key}
                class={`bar-${bucket.key}`}
                x={x}
                y="0"
                width={width}
                height={CHART_HEIGHT}
                data-bucket={bucket.key}
              />
            );
            x += width;
            return part;
          })}
      </svg>
      <ul class="legend">
        {props.buckets.map((bucket) => (
          <li key={bucket.key} data-bucket={bucket.key}>
            <span class={`swatch bar-${bucket.key}`} aria-hidden="true" />
            {bucket.label} <strong data-count={bucket.key}>{bucket.count.toLocaleString()}</strong>
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** The results summary of a job: per input row (when the server counts rows) and per distinct address. */
export function JobSummary({ job }: { job: ConsoleJob }) {
  const rows = rowBuckets(job);
  return (
    <div class="summaries">
      {rows && <SummaryChart id="rows" title="By row" unit={['row', 'rows']} buckets={rows} />}
      <SummaryChart
        id="addresses"
        title="By distinct address"
        unit={['address', 'addresses']}
        buckets={addressBuckets(job)}
      />
    </div>
  );
}
