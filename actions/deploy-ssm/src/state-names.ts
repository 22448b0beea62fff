/** Names of the step state main saves for the post step. */
export const STATE_COMMAND_IDS = 'command-ids';
export const STATE_FINISHED = 'finished';
