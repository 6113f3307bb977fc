import { App } from 'aws-cdk-lib';
import { defineRubatoApp } from './rubato-app.js';

defineRubatoApp(new App());
