import { randomBytes } from 'node:crypto';
import * as core from '@actions/core';

/**
 * The one way a Gatehouse action writes to its log, so that no value in it can issue a workflow
 * command. The runner acts on a line in two forms (actions/runner `ActionCommand.TryParseV2`,
 * `TryParse`): `::name …::data` after leading whitespace, and the older `##[name …]data` anywhere
 * in the line. Annotations, groups and debug lines go through @actions/core, which escapes their
 * text into a command's data, where neither form can start; everything else goes through here.
 */

/**
 * What the runner may skip while it looks for `::` or `##[`: it matches them culture-sensitively
 * (ICU), which ignores controls, format characters such as U+00AD or U+200B, and the like. This
 * set is wider than ICU's, so that a marker written with any of them in between still counts.
 */
const SKIPPABLE = String.raw`[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Cs}\p{M}\p{Z}\p{Default_Ignorable_Code_Point}]*`;
const LEADING_COLONS = new RegExp(`^(${SKIPPABLE}):(?=${SKIPPABLE}:)`, 'u');
const LEGACY_MARKER = new RegExp(`#${SKIPPABLE}#${SKIPPABLE}\\[`, 'gu');

/**
 * Text made inert for the runner, line by line (it reads a line at every \n, \r\n or \r): a
 * backslash goes before a leading `::` and after every `##[`, as the runner itself writes
 * `##[\start-action` to keep its own markers out of a step's output. Visible characters only: an
 * invisible one would be skipped by the runner's matching, and the marker would stand.
 */
export function neutralise(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(LEADING_COLONS, '$1\\:').replace(LEGACY_MARKER, '$&\\'))
    .join('\n');
}

/** A line (or lines) of the action's own, with whatever values it holds made inert. */
export function info(message: string): void {
  core.info(neutralise(message));
}

/**
 * Text from outside, shown exactly as it came (a host's or a tool's output, a script in a plan),
 * inside `::stop-commands::<token>` … `::<token>::`: the runner acts on no command in between.
 * The token is new and random each time, never taken from the text, so the text cannot end the
 * fence; the closing line always stands on a line of its own.
 */
export function verbatim(text: string): void {
  const token = randomBytes(16).toString('hex');
  core.info(`::stop-commands::${token}`);
  // core.info ends the text with a line break: one of the text's own would leave an empty line.
  core.info(text.replace(/(?:\r\n|\r|\n)$/, ''));
  core.info(`::${token}::`);
}

/** Text from outside, verbatim, in a collapsed group of the log. */
export function verbatimGroup(title: string, text: string): void {
  core.startGroup(title);
  verbatim(text);
  core.endGroup();
}
