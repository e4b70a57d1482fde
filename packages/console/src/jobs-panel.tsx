import { FINAL_JOB_STATUSES } from '@mailprobe/core';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { type ConsoleApi, type ConsoleJob, describeError, type ServerFeatures } from './api.js';
import { JobDetail, STATE_WORDS } from './job-progress.js';

/** How often the list is read again while one of its jobs still runs. */
const REFRESH_MS = 2000;

/** An upload the server refused (no address column, too large …) leaves a failed job with nothing in it. */
export function wasRefused(job: ConsoleJob): boolean {
  return job.status === 'failed' && job.total === 0 && job.done === 0;
}

export function JobsPanel(props: { api: ConsoleApi; features: ServerFeatures }) {
  const [jobs, setJobs] = useState<ConsoleJob[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setJobs((await props.api.jobs()).jobs.filter((job) => !wasRefused(job)));
      setError(null);
    } catch (failure) {
      setError(describeError(failure));
    }
  }, [props.api]);

  useEffect(() => {
    void load();
  }, [load]);

  const running = jobs?.some((job) => !FINAL_JOB_STATUSES.includes(job.status)) ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, load]);

  // The opened job shows below the list: focus (and so scroll) goes to its heading.
  useEffect(() => {
    if (open) document.getElementById(`jobs-job-${open}`)?.focus();
  }, [open]);

  const opened = open ? jobs?.find((job) => job.id === open) : undefined;
  return (
    <section aria-labelledby="jobs-heading">
      <h2 id="jobs-heading" tabIndex={-1}>
        Jobs
      </h2>
      <button type="button" class="secondary" onClick={() => void load()}>
        Refresh jobs
      </button>
      {running && <span class="muted"> Running jobs refresh every {REFRESH_MS / 1000} s.</span>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {jobs && jobs.length === 0 && <p>No jobs yet. Upload a list to start one.</p>}
      {jobs && jobs.length > 0 && (
        <ul class="job-cards">
          {jobs.map((job) => {
            const name = job.fileName ?? job.id;
            return (
              <li key={job.id} class="job-card" data-job-id={job.id} data-job-status={job.status}>
                <h3 class="job-card-title">
                  {job.fileName ? <span class="file-name">{job.fileName}</span> : <code>{job.id}</code>}
                </h3>
                <dl>
                  <dt>State</dt>
                  <dd>{STATE_WORDS[job.status]}</dd>
                  <dt>Rows</dt>
                  <dd data-field="rows">{job.rows ?? '—'}</dd>
                  <dt>Column</dt>
                  <dd data-field="column">{job.column ?? '—'}</dd>
                  <dt>Checked</dt>
                  <dd data-field="checked">
                    {job.done} of {job.total} addresses
                  </dd>
                  <dt>Date</dt>
                  <dd>{new Date(job.createdAt).toLocaleString()}</dd>
                </dl>
                <button
                  type="button"
                  class="secondary"
                  aria-expanded={open === job.id}
                  onClick={() => setOpen(open === job.id ? null : job.id)}
                >
                  {open === job.id ? `Close ${name}` : `Open ${name}`}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {opened && (
        <JobDetail
          idPrefix="jobs"
          api={props.api}
          job={opened}
          fileName={null}
          features={props.features}
          onChanged={() => void load()}
          onDeleted={() => {
            setOpen(null);
            void load();
          }}
        />
      )}
    </section>
  );
}
