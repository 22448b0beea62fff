import { run } from './post';

await run();
