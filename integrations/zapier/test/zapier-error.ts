/** What a Zapier error carries; `AppError` and `ThrottledError` pack their fields as JSON into `message`. */
export interface ZapierErrorInfo {
  name: string;
  message: string;
  code?: string;
  status?: number;
  delay?: number;
}

/** Runs `operation`, expects it to throw, and unpacks the Zapier error. */
export async function zapierErrorOf(operation: Promise<unknown>): Promise<ZapierErrorInfo> {
  try {
    await operation;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    if (error.name === 'AppError' || error.name === 'ThrottledError') {
      return { name: error.name, ...(JSON.parse(error.message) as Omit<ZapierErrorInfo, 'name'>) };
    }
    return { name: error.name, message: error.message };
  }
  throw new Error('expected the operation to throw');
}
