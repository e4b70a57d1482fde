import type { Job } from '@mailprobe/core';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { type ConsoleApi, describeError } from './api.js';
import { JobDetail } from './job-progress.js';

export function JobsPanel(props: { api: ConsoleApi }) {
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setJobs((await props.api.jobs()).jobs);
      setError(null);
    } catch (failure) {
      setError(describeError(failure));
    }
  }, [props.api]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="jobs-heading">
      <h2 id="jobs-heading">Jobs</h2>
      <button type="button" class="secondary" onClick={() => void load()}>
        Refresh
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {jobs && jobs.length === 0 && <p>No jobs yet. Upload a list to start one.</p>}
      {jobs && jobs.length > 0 && (
        <div class="table-scroll">
          <table class="jobs">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">State</th>
                <th scope="col">Checked</th>
                <th scope="col">Valid</th>
                <th scope="col">Invalid</th>
                <th scope="col">Unknown</th>
                <th scope="col">Created</th>
                <th scope="col">Finished</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id} data-job-id={job.id}>
                  <td>
                    <code>{job.id}</code>
                  </td>
                  <td>{job.status}</td>
                  <td>
                    {job.done}/{job.total}
                  </td>
                  <td>{job.counts.VALID}</td>
                  <td>{job.counts.INVALID}</td>
                  <td>{job.counts.UNKNOWN}</td>
                  <td>{new Date(job.createdAt).toLocaleString()}</td>
                  <td>{job.completedAt ? new Date(job.completedAt).toLocaleString() : '—'}</td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => setOpen(open === job.id ? null : job.id)}
                    >
                      {open === job.id ? 'Close' : 'Open'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && jobs?.find((job) => job.id === open) && (
        <JobDetail
          api={props.api}
          job={jobs.find((job) => job.id === open) as Job}
          fileName={`job-${open}`}
          onDeleted={() => {
            setOpen(null);
            void load();
          }}
        />
      )}
    </section>
  );
}
