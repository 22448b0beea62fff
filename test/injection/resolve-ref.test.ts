import { injectionSuite } from './suite';

injectionSuite('resolve-ref');
