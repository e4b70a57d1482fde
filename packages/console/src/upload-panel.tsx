import { useEffect, useRef, useState } from 'preact/hooks';
import {
  type ConsoleApi,
  type ConsoleJob,
  type DryRun,
  describeError,
  type ServerFeatures,
  type Upload,
} from './api.js';
import { columnParameter, type ListPreview, previewList } from './csv-preview.js';
import { checkListFile } from './file-check.js';
import { JobDetail } from './job-progress.js';
import { countOf } from './words.js';

/** How much of a file the preview reads: enough for the first rows of any real export. */
const PREVIEW_BYTES = 64 * 1024;

/** The job started from this tab, kept by the app so it stays on screen across tabs. */
export interface ActiveJob {
  id: string;
  fileName: string;
}

/** A fresh Idempotency-Key (random, and available outside secure contexts too). */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** The `column` parameter for a spreadsheet column the server named (`column_3` is the third column). */
function spreadsheetColumn(name: string): string {
  return /^column_(\d+)$/.exec(name)?.[1] ?? name;
}

/** "300 rows · 285 with an address · 211 distinct · uses 211 of your 37 remaining" */
export function dryRunWords(dry: DryRun): string {
  const quota =
    dry.quotaRemaining === null
      ? `uses ${dry.distinct.toLocaleString()} verifications (no quota limit)`
      : `uses ${dry.distinct.toLocaleString()} of your ${dry.quotaRemaining.toLocaleString()} remaining`;
  return [
    countOf(dry.rows, 'row', 'rows'),
    `${dry.withAddress.toLocaleString()} with an address`,
    `${dry.distinct.toLocaleString()} distinct`,
    quota,
  ].join(' · ');
}

export function UploadPanel(props: {
  api: ConsoleApi;
  features: ServerFeatures;
  active: ActiveJob | null;
  job: ConsoleJob | null;
  jobError: string | null;
  onStarted: (job: ActiveJob) => void;
  onJobChanged: (job: ConsoleJob) => void;
  onJobDeleted: () => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [mediaType, setMediaType] = useState('text/csv');
  const [preview, setPreview] = useState<ListPreview | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [column, setColumn] = useState<number>(-1);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [warning, setWarning] = useState<string | null>(null);
  const [dryRun, setDryRun] = useState<DryRun | null>(null);
  const [dryRunError, setDryRunError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  // One key per chosen file and column: a second click (or a retry) can never start a second job.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [startedKey, setStartedKey] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const starting = useRef(false);
  const dryRunTurn = useRef(0);

  const spreadsheet = mediaType !== 'text/csv';
  const columnValue = (): string | null => {
    if (column < 0) return null;
    if (preview) return columnParameter(preview, column);
    const name = columns[column];
    return name === undefined ? null : spreadsheetColumn(name);
  };
  const upload = (): Upload | null =>
    file ? { file, fileName: file.name, mediaType, column: columnValue() } : null;

  const choose = async (chosen: File | undefined) => {
    setError(null);
    setRefusal(null);
    setWarning(null);
    setDryRun(null);
    setDryRunError(null);
    setPreview(null);
    setColumns([]);
    setColumn(-1);
    setIdempotencyKey(newIdempotencyKey());
    setFile(null);
    if (!chosen) return;
    const check = await checkListFile(chosen, chosen.name);
    if (check.kind === 'refused') {
      setRefusal(check.message);
      return;
    }
    setFile(chosen);
    setMediaType(check.mediaType);
    if (check.kind === 'text') {
      setWarning(check.warning);
      const next = previewList(await chosen.slice(0, PREVIEW_BYTES).text());
      setPreview(next);
      setColumns(next.columns);
      setColumn(next.detected);
    }
  };

  // What starting would do, asked again whenever the file or the column changes (a server without dry runs: skip).
  useEffect(() => {
    const current = upload();
    if (!current || !props.features.dryRun) return;
    if (!spreadsheet && column < 0) return;
    const turn = ++dryRunTurn.current;
    setDryRunError(null);
    props.api.dryRun(current).then(
      (answer) => {
        if (turn !== dryRunTurn.current) return;
        setDryRun(answer);
        if (spreadsheet && columns.length === 0 && answer.columns) {
          setColumns(answer.columns);
          setColumn(answer.column === null ? -1 : answer.columns.indexOf(answer.column));
        }
      },
      (failure: unknown) => {
        if (turn !== dryRunTurn.current) return;
        setDryRun(null);
        setDryRunError(describeError(failure));
      },
    );
  }, [file, column, props.features.dryRun, props.api]);

  const overQuota =
    dryRun !== null && dryRun.quotaRemaining !== null && dryRun.distinct > dryRun.quotaRemaining;
  const started = startedKey === idempotencyKey;

  const start = async (event: Event) => {
    event.preventDefault();
    const current = upload();
    if (!current || starting.current || started || overQuota) return;
    starting.current = true;
    setBusy(true);
    setError(null);
    try {
      const created = await props.api.createJob(current, idempotencyKey);
      setStartedKey(idempotencyKey);
      props.onStarted({ id: created.id, fileName: current.fileName });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      starting.current = false;
      setBusy(false);
    }
  };

  const chooseColumn = (index: number) => {
    setColumn(index);
    setIdempotencyKey(newIdempotencyKey());
  };

  return (
    <section aria-labelledby="upload-heading">
      <h2 id="upload-heading" tabIndex={-1}>
        Upload a list
      </h2>
      <form onSubmit={start}>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: drag and drop is a mouse shortcut; the labelled file input inside is the keyboard path */}
        <div
          class={`drop-zone${dragging ? ' dragging' : ''}`}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => {
            event.preventDefault();
            setDragging(false);
            void choose(event.dataTransfer?.files[0]);
          }}
        >
          <label for="list-file">Drop a CSV, text or Excel file here, or choose one</label>
          <input
            id="list-file"
            type="file"
            accept=".csv,.txt,.tsv,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(event) => void choose(event.currentTarget.files?.[0])}
          />
          <p class="muted">
            Every row comes back, in order, with all its columns and the verdict added. CSV with{' '}
            <code>,</code> <code>;</code> or tabs, one address per line, or an Excel <code>.xlsx</code> (first
            sheet).
          </p>
        </div>
        {refusal && (
          <p class="error" role="alert" data-testid="file-refused">
            {refusal}
          </p>
        )}
        {warning && <p class="warning">{warning}</p>}
        {file && (
          <>
            <h3>
              {preview ? 'Preview of ' : ''}
              <span class="file-name">{file.name}</span>
            </h3>
            {preview && preview.detected < 0 && (
              <p class="warning" data-testid="no-column">
                No column looks like email addresses: pick the one that holds them.
              </p>
            )}
            {columns.length > 0 && (
              <>
                <label for="address-column">Address column</label>
                <select
                  id="address-column"
                  value={String(column)}
                  onChange={(event) => chooseColumn(Number(event.currentTarget.value))}
                >
                  {column < 0 && <option value="-1">Choose the column with the addresses…</option>}
                  {columns.map((name, index) => (
                    <option key={`${index}-${name}`} value={String(index)}>
                      {preview && !preview.hasHeader ? `Column ${index + 1}` : name}
                      {preview && index === preview.detected ? ' (detected)' : ''}
                      {!preview && dryRun && name === dryRun.column ? ' (detected)' : ''}
                    </option>
                  ))}
                </select>
              </>
            )}
            {preview && (
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than the screen scrolls; the keyboard must reach it
              <section class="table-scroll" tabIndex={0} aria-label={`Preview of ${file.name}`}>
                <table class="preview">
                  <thead>
                    <tr>
                      {preview.columns.map((name, index) => (
                        <th
                          key={`${index}-${name}`}
                          scope="col"
                          class={index === column ? 'chosen' : undefined}
                        >
                          {name}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {preview.rows.map((row, rowIndex) => (
                      <tr key={rowIndex}>
                        {preview.columns.map((_, index) => (
                          <td key={index} class={index === column ? 'chosen' : undefined}>
                            {row[index] ?? ''}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            )}
            <div aria-live="polite" data-testid="dry-run">
              {dryRun && <p class="dry-run">{dryRunWords(dryRun)}</p>}
              {overQuota && dryRun && dryRun.quotaRemaining !== null && (
                <p class="error" role="alert">
                  This list needs {dryRun.distinct.toLocaleString()} verifications and your key has{' '}
                  {dryRun.quotaRemaining.toLocaleString()} left: ask your operator for more, or upload a
                  shorter list.
                </p>
              )}
              {dryRunError && (
                <p class="error" role="alert">
                  {dryRunError}
                </p>
              )}
            </div>
            <button
              type="submit"
              disabled={busy || started || overQuota || (!spreadsheet && column < 0)}
              aria-describedby="start-help"
            >
              {busy ? 'Uploading…' : started ? 'Started' : 'Start verification'}
            </button>
            <span id="start-help" class="muted">
              {started ? 'This upload is running below; choose another file to start a new job.' : ''}
            </span>
          </>
        )}
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {props.active && props.job && (
        <JobDetail
          idPrefix="upload"
          api={props.api}
          job={props.job}
          fileName={props.active.fileName}
          features={props.features}
          error={props.jobError}
          onChanged={props.onJobChanged}
          onDeleted={() => {
            props.onJobDeleted();
            void choose(undefined);
          }}
        />
      )}
      {props.active && !props.job && <p aria-live="polite">{props.jobError ?? 'Starting…'}</p>}
    </section>
  );
}
