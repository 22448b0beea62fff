import * as core from '@actions/core';
import { errorMessage } from '@gatehouse/action-kit';
import { cancelSsmCommands } from '@gatehouse/command-runner';
import { readTargetSettings } from '@gatehouse/command-runner/inputs';
import { STATE_COMMAND_IDS, STATE_FINISHED } from './state-names';

/**
 * The post step, run after the job whatever happened. When main sent a command but never saw it
 * finish, the job was cancelled (or the runner died) mid-deploy: cancel the command so hosts do
 * not go on deploying unobserved. Cleanup warns, never fails. Importing this module does nothing.
 */
export async function run(): Promise<void> {
  const ids = core
    .getState(STATE_COMMAND_IDS)
    .split(',')
    .filter((id) => id !== '');
  if (ids.length === 0 || core.getState(STATE_FINISHED) === 'true') return;
  if (ids.every((id) => id.startsWith('local-'))) {
    core.warning('The job was cancelled while the local deploy ran; it was stopped with the job.');
    return;
  }
  try {
    const cancelled = await cancelSsmCommands(readTargetSettings(), ids);
    core.warning(
      `The deploy stopped watching SSM command ${cancelled.join(', ') || ids.join(', ')} before it finished (job ` +
        `cancelled or step interrupted); ${cancelled.length > 0 ? 'CancelCommand sent' : 'every command had already ended'}. ` +
        'No later wave was started. Hosts that already finished keep the new version; their deploy-state.json says which.',
    );
  } catch (error) {
    core.warning(
      `The deploy stopped mid-command and CancelCommand for ${ids.join(', ')} failed: ${errorMessage(error)}`,
    );
  }
}
