import * as core from '@actions/core';
import { MIN_SECRET_LENGTH, urlPasswords } from './secrets';

/**
 * Masks a value in the log before anything can print it, and returns it for the list of secrets
 * to redact (see `redact` in `./secrets`). Values under 3 characters (`X-Debug: 1`) are not
 * masked: the runner would star out every `1` in the log, and such a value protects nothing.
 */
export function mask(value: string): string {
  if (value.trim().length >= MIN_SECRET_LENGTH) core.setSecret(value);
  return value;
}

/**
 * Masks a URL's password, as written and decoded: masking a secret URL whole leaves its password
 * readable wherever a tool prints it on its own, and a URL that is not secret is shown without
 * it. Returns the passwords, for `redact`.
 */
export function maskUrlPassword(url: string): string[] {
  return urlPasswords(url).map(mask);
}
