import { describe, expect, it } from 'vitest';
import { delimiter, join } from 'node:path';
import { actorThreadEnv } from '../../src/host/actor-env.js';

const DOCTOR_INJECTS = join('/x', 'node_modules', '@clinic', 'doctor', 'injects');
const CLINIC_OPTIONS =
  '-r no-cluster.js -r sampler.js --trace-events-enabled --trace-event-categories v8';

describe('actorThreadEnv', () => {
  it('leaves actor threads the process environment outside clinic', () => {
    const env = { NODE_OPTIONS: '--max-old-space-size=512', PATH: '/bin' };

    expect(actorThreadEnv(env)).toBeUndefined();
  });

  it.each([
    ['alone', DOCTOR_INJECTS],
    ['before the user NODE_PATH', `${DOCTOR_INJECTS}${delimiter}/usr/lib/node`],
  ])('drops NODE_OPTIONS under clinic, its injects dir %s on NODE_PATH', (_, nodePath) => {
    const env = { NODE_PATH: nodePath, NODE_OPTIONS: CLINIC_OPTIONS, PATH: '/bin' };

    const own = actorThreadEnv(env);

    expect(own).toEqual({ NODE_PATH: nodePath, PATH: '/bin' });
    expect(env.NODE_OPTIONS).toBe(CLINIC_OPTIONS);
  });

  it('does not take an injects dir of another package for clinic', () => {
    const env = {
      NODE_PATH: join('/x', 'node_modules', 'other', 'injects'),
      NODE_OPTIONS: '-r a.js',
    };

    expect(actorThreadEnv(env)).toBeUndefined();
  });
});
