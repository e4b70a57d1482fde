export { checkDnsbl, DEFAULT_DNSBL_ZONES, dnsblQueryName } from './dnsbl.js';
export type {
  DnsblFinding,
  DoctorCheck,
  DoctorCheckId,
  DoctorCheckStatus,
  DoctorReport,
  ProxyDoctorReport,
  SourceDoctorReport,
} from './doctor-report.js';
export { DOCTOR_CHECKS } from './doctor-report.js';
export type { DoctorOptions } from './run-doctor.js';
export { runDoctor } from './run-doctor.js';
