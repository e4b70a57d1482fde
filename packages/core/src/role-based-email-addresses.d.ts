// The package ships no types: it is a CommonJS module whose `module.exports` is an array of role local parts.
declare module 'role-based-email-addresses' {
  const roles: readonly string[];
  export = roles;
}
