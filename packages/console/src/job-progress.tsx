import { FINAL_JOB_STATUSES, type JobStatus } from '@mailprobe/core';
import { useEffect, useState } from 'preact/hooks';
import {
  type ConsoleApi,
  ConsoleApiError,
  type ConsoleJob,
  describeError,
  type ResultFormat,
  type ResultSet,
  type ServerFeatures,
} from './api.js';
import { saveBlob } from './download.js';
import { JobSummary } from './job-summary.js';
import { countOf } from './words.js';

const POLL_MS = 1000;

export const STATE_WORDS: Record<JobStatus, string> = {
  queued: 'Waiting to start',
  running: 'Running',
  completed: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Follows one job: polls it every second until it ends. */
export function useJob(api: ConsoleApi | null, jobId: string | null) {
  const [job, setJob] = useState<ConsoleJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [gone, setGone] = useState(false);
  useEffect(() => {
    setJob(null);
    setError(null);
    setGone(false);
    if (!api || !jobId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const current = await api.job(jobId);
        if (stopped) return;
        setJob(current);
        setError(null);
        if (FINAL_JOB_STATUSES.includes(current.status)) return;
      } catch (failure) {
        if (stopped) return;
        // Deleted (from another tab, say) or expired: nothing more to follow.
        if (failure instanceof ConsoleApiError && failure.status === 404) {
          setGone(true);
          return;
        }
        setError(describeError(failure));
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, jobId]);
  return { job, error, gone, setJob };
}

/** The name of an uploaded file without its extension, for naming downloads after it. */
export function baseName(fileName: string): string {
  return fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '') || 'results';
}

const SETS: { set: ResultSet; label: string; needsSets: boolean }[] = [
  { set: 'valid', label: 'Valid only', needsSets: false },
  { set: 'valid_risky', label: 'Valid + risky', needsSets: true },
  { set: 'invalid', label: 'Invalid (suppression list)', needsSets: false },
  { set: 'all', label: 'All rows', needsSets: false },
];
const SET_SUFFIX: Record<ResultSet, string> = {
  all: '',
  valid: '-valid',
  valid_risky: '-valid-risky',
  invalid: '-invalid',
};

/** "at 20:07" for a retry today, with the date for a later one. */
function clockTime(iso: string): string {
  const when = new Date(iso);
  const time = when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return when.toDateString() === new Date().toDateString() ? time : `${when.toLocaleDateString()} ${time}`;
}

/** What is going on, honestly: waiting for retries, the rate and time left only while work can run. */
function progressWords(job: ConsoleJob): string[] {
  if (FINAL_JOB_STATUSES.includes(job.status)) return [];
  const words: string[] = [];
  const progress = job.progress;
  if (progress) {
    if (progress.waiting > 0) {
      const who =
        progress.waiting === 1 ? '1 address waits' : `${progress.waiting.toLocaleString()} addresses wait`;
      words.push(
        progress.nextRetryAt
          ? `${who} for the mail server's retry at ${clockTime(progress.nextRetryAt)}.`
          : `${who} for the mail server's retry.`,
      );
    }
    if (progress.ratePerSecond !== null) words.push(`${progress.ratePerSecond.toFixed(1)} addresses/s`);
    if (progress.etaSeconds !== null) words.push(`about ${formatDuration(progress.etaSeconds)} left`);
    return words;
  }
  // An older server: estimate from the elapsed time, and only once something was checked.
  const elapsedSeconds = Math.max(0.001, (Date.now() - Date.parse(job.createdAt)) / 1000);
  const rate = job.done / elapsedSeconds;
  if (rate > 0) {
    words.push(`${rate.toFixed(1)} addresses/s`);
    words.push(`about ${formatDuration(Math.ceil((job.total - job.done) / rate))} left`);
  }
  return words;
}

export function JobDetail(props: {
  /** Where the job is shown (`upload`, `jobs`): the same job may be on two panels, its element ids may not. */
  idPrefix: string;
  api: ConsoleApi;
  job: ConsoleJob;
  /** The uploaded file's name when the server does not remember it. */
  fileName: string | null;
  features: ServerFeatures;
  onChanged: (job: ConsoleJob) => void;
  onDeleted: () => void;
  error?: string | null;
}) {
  const { job, features } = props;
  const prefix = props.idPrefix;
  const [actionError, setActionError] = useState<string | null>(null);
  const [excelSafe, setExcelSafe] = useState(false);
  const [acting, setActing] = useState(false);
  const finished = FINAL_JOB_STATUSES.includes(job.status);
  const fileName = job.fileName ?? props.fileName;
  const percent = job.total > 0 ? Math.floor((job.done / job.total) * 100) : 100;
  const base = fileName ? baseName(fileName) : job.id;
  const formats: ResultFormat[] =
    fileName && /\.xlsx$/i.test(fileName) ? ['csv', 'ndjson', 'xlsx'] : ['csv', 'ndjson'];
  const sets = SETS.filter((entry) => features.resultSets || !entry.needsSets);
  const words = progressWords(job);

  const act = async (action: () => Promise<void>) => {
    setActionError(null);
    setActing(true);
    try {
      await action();
    } catch (failure) {
      setActionError(describeError(failure));
    } finally {
      setActing(false);
    }
  };
  const download = (set: ResultSet, format: ResultFormat) =>
    act(async () => {
      const { blob } = await props.api.results(job.id, {
        format,
        set,
        excelSafe,
        resultSets: features.resultSets,
      });
      saveBlob(blob, `${base}-mailprobe${SET_SUFFIX[set]}.${format}`);
    });
  const remove = () =>
    act(async () => {
      if (!confirm(`Delete ${fileName ?? `job ${job.id}`} and its results? This cannot be undone.`)) return;
      await props.api.deleteJob(job.id);
      props.onDeleted();
    });

  return (
    <article
      class="job"
      data-testid="job-progress"
      data-job-id={job.id}
      data-job-status={job.status}
      aria-labelledby={`${prefix}-job-${job.id}`}
    >
      <h3 id={`${prefix}-job-${job.id}`} tabIndex={-1}>
        {fileName ? <span class="file-name">{fileName}</span> : <code>{job.id}</code>}{' '}
        <span class={`state state-${job.status}`}>{STATE_WORDS[job.status]}</span>
      </h3>
      <p class="muted job-meta">
        {job.rows !== undefined && job.rows !== null ? `${countOf(job.rows, 'row', 'rows')} · ` : ''}
        {job.column ? `column ${job.column} · ` : ''}
        started {new Date(job.createdAt).toLocaleString()}
        {job.completedAt ? ` · ended ${new Date(job.completedAt).toLocaleString()}` : ''} ·{' '}
        <code>{job.id}</code>
      </p>
      <label for={`${prefix}-progress-${job.id}`}>
        {job.done} of {countOf(job.total, 'distinct address', 'distinct addresses')} checked ({percent}%)
        {job.rows !== undefined && job.rows !== null ? `, from ${countOf(job.rows, 'row', 'rows')}` : ''}
      </label>
      <progress id={`${prefix}-progress-${job.id}`} max={job.total || 1} value={job.done} />
      <p class="muted" aria-live="polite" data-testid="job-activity">
        {words.join(' · ')}
      </p>
      {!finished && (
        <div class="actions">
          {features.finish && (
            <button
              type="button"
              disabled={acting}
              onClick={() => act(async () => props.onChanged(await props.api.finishJob(job.id)))}
            >
              Finish now
            </button>
          )}
          <button
            type="button"
            class="secondary"
            disabled={acting}
            onClick={() => act(async () => props.onChanged(await props.api.cancelJob(job.id)))}
          >
            Cancel job
          </button>
        </div>
      )}
      <JobSummary job={job} />
      {job.error && <p class="error">{job.error}</p>}
      {(props.error || actionError) && (
        <p class="error" role="alert">
          {actionError ?? props.error}
        </p>
      )}
      <section class="downloads" aria-labelledby={`${prefix}-downloads-${job.id}`}>
        <h4 id={`${prefix}-downloads-${job.id}`}>
          {finished ? 'Download results' : 'Download the results so far'}
        </h4>
        {features.excelSafe && (
          <label class="check">
            <input
              type="checkbox"
              checked={excelSafe}
              onChange={(event) => setExcelSafe(event.currentTarget.checked)}
            />{' '}
            Excel-safe: put <code>'</code> before every cell that starts with <code>=</code> <code>+</code>{' '}
            <code>-</code> <code>@</code> (also your own)
          </label>
        )}
        <table class="download-table">
          <tbody>
            {sets.map((entry) => (
              <tr key={entry.set} data-set={entry.set}>
                <th scope="row">{entry.label}</th>
                {formats.map((format) => (
                  <td key={format}>
                    <button type="button" class="secondary" onClick={() => download(entry.set, format)}>
                      <span class="visually-hidden">Download {entry.label.toLowerCase()} as </span>
                      {format.toUpperCase()}
                    </button>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <div class="actions">
        <button type="button" class="danger" onClick={remove}>
          Delete job
        </button>
      </div>
    </article>
  );
}

function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${whole % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
