import { useState } from 'preact/hooks';
import { type ConsoleApi, describeError } from './api.js';
import { columnParameter, type ListPreview, previewList } from './csv-preview.js';
import { JobProgress } from './job-progress.js';

/** How much of a file the preview reads: enough for the first rows of any real export. */
const PREVIEW_BYTES = 64 * 1024;

export function UploadPanel(props: { api: ConsoleApi }) {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ListPreview | null>(null);
  const [column, setColumn] = useState<number>(-1);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);

  const choose = async (chosen: File | undefined) => {
    setError(null);
    setJobId(null);
    if (!chosen) return;
    setFile(chosen);
    const text = await chosen.slice(0, PREVIEW_BYTES).text();
    const next = previewList(text);
    setPreview(next);
    setColumn(next.detected);
  };

  const start = async (event: Event) => {
    event.preventDefault();
    if (!file || !preview) return;
    setBusy(true);
    setError(null);
    try {
      const created = await props.api.createJob(file, column >= 0 ? columnParameter(preview, column) : null);
      setJobId(created.id);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload a list</h2>
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
          <label for="list-file">Drop a CSV or text file here, or choose one</label>
          <input
            id="list-file"
            type="file"
            accept=".csv,.txt,.tsv,text/csv,text/plain"
            onChange={(event) => void choose(event.currentTarget.files?.[0])}
          />
          <p class="muted">
            Every row comes back, in order, with all its columns and the verdict added. CSV with{' '}
            <code>,</code> <code>;</code> or tabs, or one address per line.
          </p>
        </div>
        {preview && file && (
          <>
            <h3>
              Preview of <code>{file.name}</code>
            </h3>
            <label for="address-column">Address column</label>
            <select
              id="address-column"
              value={String(column)}
              onChange={(event) => setColumn(Number(event.currentTarget.value))}
            >
              {column < 0 && <option value="-1">Choose the column with the addresses…</option>}
              {preview.columns.map((name, index) => (
                <option key={`${index}-${name}`} value={String(index)}>
                  {preview.hasHeader ? name : `Column ${index + 1}`}
                  {index === preview.detected ? ' (detected)' : ''}
                </option>
              ))}
            </select>
            <div class="table-scroll">
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
            </div>
            <button type="submit" disabled={busy || column < 0}>
              {busy ? 'Uploading…' : 'Start verification'}
            </button>
          </>
        )}
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {jobId && file && (
        <JobProgress
          api={props.api}
          jobId={jobId}
          fileName={file.name}
          onDeleted={() => {
            setJobId(null);
            setFile(null);
            setPreview(null);
          }}
        />
      )}
    </section>
  );
}
