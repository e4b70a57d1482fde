import { FINAL_JOB_STATUSES, type Job, STATUSES } from '@mailprobe/core';
import { useEffect, useState } from 'preact/hooks';
import { type ConsoleApi, describeError } from './api.js';
import { saveBlob } from './download.js';

const POLL_MS = 1000;

/** Follows one job until it ends: counts per status, rate, time left; then downloads and delete. */
export function JobProgress(props: {
  api: ConsoleApi;
  jobId: string;
  fileName: string;
  onDeleted: () => void;
}) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const current = await props.api.job(props.jobId);
        if (stopped) return;
        setJob(current);
        setError(null);
        if (FINAL_JOB_STATUSES.includes(current.status)) return;
      } catch (failure) {
        if (stopped) return;
        setError(describeError(failure));
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [props.api, props.jobId]);

  if (!job) return <p aria-live="polite">{error ?? 'Starting…'}</p>;
  return (
    <JobDetail
      api={props.api}
      job={job}
      fileName={props.fileName}
      onDeleted={props.onDeleted}
      error={error}
    />
  );
}

export function JobDetail(props: {
  api: ConsoleApi;
  job: Job;
  fileName: string;
  onDeleted: () => void;
  error?: string | null;
}) {
  const { job } = props;
  const [actionError, setActionError] = useState<string | null>(null);
  const finished = FINAL_JOB_STATUSES.includes(job.status);
  const elapsedSeconds = Math.max(
    0.001,
    ((job.completedAt ? Date.parse(job.completedAt) : Date.now()) - Date.parse(job.createdAt)) / 1000,
  );
  const rate = job.done / elapsedSeconds;
  const left = rate > 0 ? Math.ceil((job.total - job.done) / rate) : null;
  const percent = job.total > 0 ? Math.floor((job.done / job.total) * 100) : 100;
  const base = props.fileName.replace(/\.[^.]+$/, '') || 'results';

  const download = async (format: 'csv' | 'ndjson') => {
    setActionError(null);
    try {
      saveBlob(await props.api.results(job.id, format), `${base}-mailprobe.${format}`);
    } catch (failure) {
      setActionError(describeError(failure));
    }
  };
  const remove = async () => {
    if (!confirm(`Delete job ${job.id} and its results? This cannot be undone.`)) return;
    setActionError(null);
    try {
      await props.api.deleteJob(job.id);
      props.onDeleted();
    } catch (failure) {
      setActionError(describeError(failure));
    }
  };

  return (
    <article class="job" data-testid="job-progress" data-job-status={job.status}>
      <h3>
        Job <code>{job.id}</code>: <span class={`state state-${job.status}`}>{job.status}</span>
      </h3>
      <label for={`progress-${job.id}`}>
        {job.done} of {job.total} distinct addresses checked ({percent}%)
        {job.rows !== undefined && job.rows !== null ? `, from ${job.rows} rows` : ''}
      </label>
      <progress id={`progress-${job.id}`} max={job.total || 1} value={job.done} />
      <ul class="counts" aria-live="polite">
        {STATUSES.map((status) => (
          <li key={status} data-count={status}>
            <span class={`badge badge-${status.toLowerCase()}`}>{status}</span> {job.counts[status]}
          </li>
        ))}
      </ul>
      {!finished && (
        <p class="muted">
          {rate.toFixed(1)} addresses/s
          {left !== null ? ` · about ${formatDuration(left)} left` : ''}
        </p>
      )}
      {job.error && <p class="error">{job.error}</p>}
      {(props.error || actionError) && (
        <p class="error" role="alert">
          {actionError ?? props.error}
        </p>
      )}
      <div class="actions">
        <button type="button" disabled={!finished} onClick={() => download('csv')}>
          Download CSV
        </button>
        <button type="button" disabled={!finished} onClick={() => download('ndjson')}>
          Download NDJSON
        </button>
        <button type="button" class="danger" onClick={remove}>
          Delete job
        </button>
      </div>
    </article>
  );
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
