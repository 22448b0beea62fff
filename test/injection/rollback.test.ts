import { injectionSuite } from './suite';

injectionSuite('rollback');
