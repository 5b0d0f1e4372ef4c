import { ConfigError, evaluatedPortsEnv } from '../../shared/config/env';

describe('evaluatedPortsEnv', () => {
  it('is the served port unless KOUAN_EVALUATED_PORTS lists others', () => {
    expect(evaluatedPortsEnv({ KOUAN_PORT_CODE: 'CNSGH' })).toEqual(['CNSGH']);
    expect(evaluatedPortsEnv({ KOUAN_PORT_CODE: 'CNSGH', KOUAN_EVALUATED_PORTS: ' CNSGH, CNNGB ,CNNGB' })).toEqual([
      'CNSGH',
      'CNNGB',
    ]);
  });

  it('refuses a list entry that is not a UN/LOCODE, at cold start', () => {
    expect(() => evaluatedPortsEnv({ KOUAN_PORT_CODE: 'CNSGH', KOUAN_EVALUATED_PORTS: 'CNSGH,shanghai' })).toThrow(
      ConfigError,
    );
  });
});
