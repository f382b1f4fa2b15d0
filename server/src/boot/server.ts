import { boot } from './code-cache';

boot('server-bundle.js');
