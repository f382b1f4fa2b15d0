import { boot } from './code-cache';

boot('cli-bundle.js');
