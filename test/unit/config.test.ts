import { expect } from 'chai';
import { ConfigError, parseConfig } from '../../server/config.js';

function configError(environment: Record<string, string>): ConfigError {
  try {
    parseConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const secret = 'a-long-enough-application-secret-for-tests-0123';

describe('config', () => {
  it('starts on the embedded database with sensible defaults when nothing is set', () => {
    const config = parseConfig({});
    expect(config.port).to.equal(3000);
    expect(config.host).to.equal('127.0.0.1');
    expect(config.database.uri).to.equal(undefined);
    expect(config.database.name).to.equal('bharatpol');
    expect(config.embedded.dataDir).to.match(/\/data$/);
    expect(config.env).to.equal('development');
  });

  it('is frozen so that no module can change it at run time', () => {
    const config = parseConfig({});
    expect(Object.isFrozen(config)).to.equal(true);
    expect(Object.isFrozen(config.database)).to.equal(true);
  });

  for (const bad of ['abc', '70000', '-1', '3.5']) {
    it(`refuses PORT=${bad} naming the variable`, () => {
      const error = configError({ PORT: bad });
      expect(error.variable).to.equal('PORT');
      expect(error.message).to.match(/^PORT: /);
    });
  }

  for (const bad of ['http://db:27017', 'localhost:27017', 'mongodb://', 'mongodb://has space/db']) {
    it(`refuses MONGODB_URI=${bad} naming the variable`, () => {
      const error = configError({ MONGODB_URI: bad });
      expect(error.variable).to.equal('MONGODB_URI');
      expect(error.message).to.include('MongoDB connection string');
    });
  }

  it('accepts replica-set and SRV connection strings', () => {
    const uri = (value: string): string | undefined => parseConfig({ MONGODB_URI: value, APP_SECRET: secret }).database.uri;
    expect(uri('mongodb://a:27017,b:27017/bharatpol?replicaSet=rs0')).to.include('rs0');
    expect(uri('mongodb+srv://cluster.example.net/')).to.include('+srv');
  });

  it('treats an empty MONGODB_URI as unset, as .env files leave it', () => {
    expect(parseConfig({ MONGODB_URI: '' }).database.uri).to.equal(undefined);
  });

  it('requires PUBLIC_ORIGIN and APP_SECRET in production, and refuses demo data there', () => {
    expect(configError({ NODE_ENV: 'production', APP_SECRET: secret }).variable).to.equal('PUBLIC_ORIGIN');
    expect(configError({ NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://portal.example.gov.in' }).variable).to.equal('APP_SECRET');
    const production = { NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://portal.example.gov.in/', APP_SECRET: secret };
    expect(configError({ ...production, DEMO_DATA: 'true' }).variable).to.equal('DEMO_DATA');
    const config = parseConfig(production);
    expect(config.publicOrigin).to.equal('https://portal.example.gov.in');
    expect(config.demoData).to.equal(false);
  });

  it('requires APP_SECRET with an external MongoDB, and refuses a short one', () => {
    expect(configError({ MONGODB_URI: 'mongodb://db:27017' }).variable).to.equal('APP_SECRET');
    expect(configError({ APP_SECRET: 'too-short' }).variable).to.equal('APP_SECRET');
  });

  it('loads demo data by default only in development', () => {
    expect(parseConfig({}).demoData).to.equal(true);
    expect(parseConfig({ NODE_ENV: 'test' }).demoData).to.equal(false);
  });

  it('refuses a PUBLIC_ORIGIN that is not an http(s) origin', () => {
    expect(configError({ PUBLIC_ORIGIN: 'javascript:alert(1)' }).variable).to.equal('PUBLIC_ORIGIN');
  });

  it('refuses an unknown LOG_LEVEL and a database name with path characters', () => {
    expect(configError({ LOG_LEVEL: 'loud' }).variable).to.equal('LOG_LEVEL');
    expect(configError({ MONGODB_DB: '../admin' }).variable).to.equal('MONGODB_DB');
  });
});
