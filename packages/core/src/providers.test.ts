import { describe, expect, it } from 'vitest';
import { PROVIDER_TABLE, PROVIDERS, type Provider, providerOfHost, providerOfMx } from './providers.js';
import { describeReason } from './reason-description.js';
import { REASON_DESCRIPTIONS } from './vocabulary.js';

// MX host names as public DNS publishes them (for the domain in the comment), most preferred first.
const REAL_MX: ReadonlyArray<readonly [string, Provider]> = [
  ['gmail-smtp-in.l.google.com', 'google'], // gmail.com
  ['alt4.gmail-smtp-in.l.google.com.', 'google'],
  ['aspmx.l.google.com', 'google'], // a Workspace domain
  ['ALT1.ASPMX.L.GOOGLE.COM', 'google'],
  ['aspmx2.googlemail.com', 'google'],
  ['smtp.google.com', 'google'], // Workspace since 2023
  ['contoso-com.mail.protection.outlook.com', 'microsoft365'],
  ['microsoft-com.mail.protection.outlook.com', 'microsoft365'],
  ['contoso-com.r-v1.mx.microsoft', 'microsoft365'], // Exchange Online with DNSSEC
  ['hotmail-com.olc.protection.outlook.com', 'outlook'], // hotmail.com
  ['outlook-com.olc.protection.outlook.com', 'outlook'], // outlook.com
  ['live-com.olc.protection.outlook.com', 'outlook'], // live.com
  ['mx1.hotmail.com', 'outlook'],
  ['mta5.am0.yahoodns.net', 'yahoo'], // yahoo.com
  ['mx-aol.mail.gm0.yahoodns.net', 'yahoo'], // aol.com
  ['mx01.mail.icloud.com', 'icloud'], // icloud.com, me.com
  ['mx.zoho.com', 'zoho'],
  ['mx2.zoho.eu', 'zoho'],
  ['mx.zoho.in', 'zoho'],
  ['mx.yandex.ru', 'yandex'], // yandex.ru
  ['mx.yandex.net', 'yandex'], // Yandex 360 domains
  ['mxs.mail.ru', 'mailru'], // mail.ru
  ['emx.mail.ru', 'mailru'],
  ['mail.protonmail.ch', 'proton'], // proton.me, protonmail.com
  ['mailsec.protonmail.ch', 'proton'],
  ['in1-smtp.messagingengine.com', 'fastmail'], // fastmail.com
  ['mx00.gmx.net', 'gmx'], // gmx.de
  ['mx01.gmx.com', 'gmx'],
  ['mx-ha03.web.de', 'gmx'], // web.de
  ['mx0a-00176a03.pphosted.com', 'proofpoint'],
  ['mx1-us1.ppe-hosted.com', 'proofpoint'], // Proofpoint Essentials
  ['us-smtp-inbound-1.mimecast.com', 'mimecast'],
  ['eu-smtp-inbound-2.mimecast.com', 'mimecast'],
  ['d123456a.ess.barracudanetworks.com', 'barracuda'],
  ['mx1.hc4862-64.iphmx.com', 'cisco'],
  ['mx.example.com', 'other'],
  ['mail.protection.outlook.com.evil.example', 'other'],
  ['notgoogle.com', 'other'],
  ['google.com.attacker.net', 'other'],
];

describe('providerOfHost (real MX host names)', () => {
  it.each(REAL_MX)('%s → %s', (host, provider) => {
    expect(providerOfHost(host)).toBe(provider);
  });
});

describe('providerOfMx', () => {
  it('is decided by the most preferred MX', () => {
    expect(providerOfMx(['mx0a-1.pphosted.com', 'aspmx.l.google.com'])).toBe('proofpoint');
    expect(providerOfMx(['mail.example.com', 'aspmx.l.google.com'])).toBe('other');
  });

  it('is other without any MX', () => {
    expect(providerOfMx([])).toBe('other');
  });
});

describe('PROVIDER_TABLE', () => {
  it('documents every provider, and no suffix belongs to two', () => {
    expect(Object.keys(PROVIDER_TABLE)).toEqual([...PROVIDERS]);
    const suffixes = PROVIDERS.flatMap((provider) => PROVIDER_TABLE[provider].mxSuffixes);
    expect(new Set(suffixes).size).toBe(suffixes.length);
  });
});

describe('describeReason', () => {
  it('says when Microsoft 365 accepting everything is a catch-all by configuration', () => {
    expect(describeReason('catch_all', 'microsoft365')).toMatch(/^The domain accepts.*by configuration/);
  });

  it('warns that a security gateway may accept at RCPT and bounce later', () => {
    for (const provider of ['proofpoint', 'mimecast', 'barracuda', 'cisco'] as const) {
      expect(describeReason('accepted', provider)).toContain('bounce later');
    }
  });

  it('is the plain description where the provider changes nothing', () => {
    expect(describeReason('mailbox_not_found', 'google')).toBe(REASON_DESCRIPTIONS.mailbox_not_found);
    expect(describeReason('accepted')).toBe(REASON_DESCRIPTIONS.accepted);
  });
});
