// mailauth ships no types for this module; this is the part of its return value the doctor reads.
declare module 'mailauth/lib/dmarc/get-dmarc-record.js' {
  interface DmarcRecord {
    v?: string;
    p?: string;
    sp?: string;
    /** The record as published. */
    rr: string;
    /** Found at the organisational domain rather than the domain itself. */
    isOrgRecord: boolean;
  }
  function getDmarcRecord(
    domain: string,
    resolver: (name: string, type: string) => Promise<unknown[]>,
  ): Promise<DmarcRecord | false>;
  export = getDmarcRecord;
}
