import { API_PATHS, CreateJobResponseSchema, jobPath, MAX_JOB_ADDRESSES } from '@mailprobe/core';
import { type Bundle, defineCreate, type ZObject } from 'zapier-platform-core';
import { apiBaseUrl, callApi } from '../api.js';
import { readAddressList } from '../input.js';

export interface StartedBulkVerification {
  id: string;
  status: string;
  total: number;
  status_url: string;
}

/** Creates a job (`POST /v1/jobs`) from line items or text; the "Bulk Verification Completed" trigger reports its end. */
export async function performStartBulkVerification(
  z: ZObject,
  bundle: Bundle,
): Promise<StartedBulkVerification> {
  const emails = readAddressList(bundle.inputData.emails);
  if (emails.length === 0) {
    throw new z.errors.Error(
      'No email addresses were given: map a list (line items) or a text with one address per line.',
      'no_addresses',
      400,
    );
  }
  if (emails.length > MAX_JOB_ADDRESSES) {
    throw new z.errors.Error(
      `One bulk verification takes at most ${MAX_JOB_ADDRESSES.toLocaleString('en-US')} addresses; this run has ${emails.length.toLocaleString('en-US')}.`,
      'too_many_addresses',
      413,
    );
  }
  const job = await callApi(z, bundle, {
    method: 'POST',
    path: API_PATHS.jobs,
    body: { emails },
    schema: CreateJobResponseSchema,
  });
  return {
    id: job.id,
    status: job.status,
    total: job.total,
    status_url: `${apiBaseUrl(z, bundle)}${jobPath(job.id)}`,
  };
}

export const startBulkVerification = defineCreate({
  key: 'start_bulk_verification',
  noun: 'Bulk Verification',
  display: {
    label: 'Start Bulk Verification',
    description:
      'Sends a list of email addresses to Mailprobe to verify in the background. Use the "Bulk Verification Completed" trigger to act on the results.',
  },
  operation: {
    inputFields: [
      {
        key: 'emails',
        label: 'Email Addresses',
        type: 'text',
        list: true,
        required: true,
        helpText:
          'Map line items (e.g. a column of rows from a spreadsheet step), or paste text with one address per ' +
          'line. Commas and semicolons also separate addresses.',
      },
    ],
    perform: performStartBulkVerification,
    outputFields: [
      { key: 'id', label: 'Job ID', type: 'string' },
      { key: 'status', label: 'Job Status', type: 'string' },
      { key: 'total', label: 'Addresses Accepted', type: 'integer' },
      { key: 'status_url', label: 'Job Status URL (API)', type: 'string' },
    ],
    sample: {
      id: 'job_01HZX7Q4W8M1V3T6B9N2C5D8F0',
      status: 'queued',
      total: 250,
      status_url: 'https://api.mailprobe.dev/v1/jobs/job_01HZX7Q4W8M1V3T6B9N2C5D8F0',
    },
  },
});
