// The API key lives in this tab's session storage only: closing the tab or signing out forgets it.
const KEY = 'mailprobe.apiKey';
// The job started from this tab, so a reload or another tab of the console keeps showing it.
const ACTIVE_JOB = 'mailprobe.activeJob';

export const session = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (apiKey: string) => sessionStorage.setItem(KEY, apiKey),
  clear: () => {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ACTIVE_JOB);
  },
  activeJob: (): { id: string; fileName: string } | null => {
    try {
      const value = JSON.parse(sessionStorage.getItem(ACTIVE_JOB) ?? 'null') as unknown;
      if (value && typeof value === 'object' && 'id' in value && 'fileName' in value)
        return { id: String(value.id), fileName: String(value.fileName) };
    } catch {
      // Not ours any more: forget it below.
    }
    sessionStorage.removeItem(ACTIVE_JOB);
    return null;
  },
  setActiveJob: (job: { id: string; fileName: string } | null) =>
    job ? sessionStorage.setItem(ACTIVE_JOB, JSON.stringify(job)) : sessionStorage.removeItem(ACTIVE_JOB),
};
