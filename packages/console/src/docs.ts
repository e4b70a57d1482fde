// Renders /openapi.json with Redoc's standalone bundle (served by the prober, never from a CDN).
interface RedocGlobal {
  init(specUrl: string, options: Record<string, unknown>, element: HTMLElement | null): void;
}

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
    theme: {
      typography: { fontFamily: 'system-ui, sans-serif', headings: { fontFamily: 'system-ui, sans-serif' } },
    },
  },
  document.getElementById('redoc'),
);
