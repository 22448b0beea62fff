import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  key: string;
  cert: string;
}

export interface TestCertificates {
  dir: string;
  /** PEM of the throwaway CA, and a file holding it (for the `ca-file` input). */
  caPem: string;
  caFile: string;
  /** Signed by the CA for 127.0.0.1 and localhost. */
  server: KeyPair;
  /** Signed by the CA for another name only: a hostname mismatch on 127.0.0.1. */
  wrongHost: KeyPair;
  /** Signed by itself, for 127.0.0.1: what a box without a real certificate serves. */
  selfSigned: KeyPair;
}

/** A throwaway CA and server certificates, made fresh in a temp folder for one test run. */
export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'http-probe-certs-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const subjectAltName = (names: string) => {
    const file = join(dir, `ext-${names.replace(/[^a-z0-9]/gi, '')}.cnf`);
    writeFileSync(file, `subjectAltName=${names}\nbasicConstraints=CA:FALSE\n`);
    return file;
  };

  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Gatehouse Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=keyCertSign,cRLSign',
  );
  const signed = (name: string, names: string): KeyPair => {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name}`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      subjectAltName(names),
    );
    return read(name);
  };
  const read = (name: string): KeyPair => ({
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    cert: readFileSync(join(dir, `${name}.pem`), 'utf8'),
  });

  const server = signed('server', 'IP:127.0.0.1,DNS:localhost');
  const wrongHost = signed('wrong-host', 'DNS:other.example');
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'self.key',
    '-out',
    'self.pem',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  );
  return {
    dir,
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    caFile: join(dir, 'ca.pem'),
    server,
    wrongHost,
    selfSigned: read('self'),
  };
}
