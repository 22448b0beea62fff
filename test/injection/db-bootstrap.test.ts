import { injectionSuite } from './suite';

injectionSuite('db-bootstrap');
