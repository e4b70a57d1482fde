// The two npm peers of bench/real-postfix-peers.ts that ship no types (CommonJS): only what the bench calls.
declare module 'email-deep-validator' {
  class EmailDeepValidator {
    constructor(options?: { timeout?: number; verifyDomain?: boolean; verifyMailbox?: boolean });
    verify(address: string): Promise<{
      wellFormed: boolean;
      validDomain: boolean | null;
      validMailbox: boolean | null;
    }>;
  }
  export = EmailDeepValidator;
}

declare module 'email-existence' {
  type Callback = (error: Error | null, exists: boolean, undetermined?: boolean) => void;
  function check(email: string, callback: Callback, timeout?: number, fromEmail?: string): void;
  namespace check {
    function check(email: string, callback: Callback, timeout?: number, fromEmail?: string): void;
  }
  export = check;
}
