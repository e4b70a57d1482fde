import './docs.css';

// The quick start is plain HTML from the server; this only makes its curl command copyable in one click.
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
  const source = document.getElementById(button.dataset.copy ?? '');
  if (!source || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(source.textContent ?? '').then(
      () => {
        button.textContent = 'Copied';
      },
      () => {
        button.textContent = 'Copy failed: select the text and copy it';
      },
    );
  });
}

// Renders /openapi.json below the quick start with Redoc's standalone bundle (served by the prober, never a CDN).
interface RedocGlobal {
  init(specUrl: string, options: Record<string, unknown>, element: HTMLElement | null): void;
}

function renderReference(): void {
  const redoc = (globalThis as { Redoc?: RedocGlobal }).Redoc;
  redoc?.init(
    '/openapi.json',
    {
      hideDownloadButton: false,
      expandResponses: '200,202',
      jsonSampleExpandLevel: 3,
      requiredPropsFirst: true,
      sortPropsAlphabetically: false,
      disableSearch: false,
      // Redoc's own sticky menu would cover the quick start; it scrolls with the page instead.
      scrollYOffset: 0,
      theme: {
        typography: {
          fontFamily: 'system-ui, sans-serif',
          headings: { fontFamily: 'system-ui, sans-serif' },
        },
      },
    },
    document.getElementById('redoc'),
  );
}

// Redoc's bundle is a deferred script after this module: it has run once the document is loaded.
if ((globalThis as { Redoc?: RedocGlobal }).Redoc) renderReference();
else addEventListener('DOMContentLoaded', renderReference, { once: true });
