import { expect } from 'chai';
import { AppError, badRequest, notFound, toErrorBody } from '../../server/errors.js';

describe('errors', () => {
  it('passes a known error out with its status, code and details', () => {
    const { status, body } = toErrorBody(badRequest('Check the form.', [{ field: 'title', message: 'is required' }]));
    expect(status).to.equal(400);
    expect(body.error).to.deep.equal({
      code: 'bad-request',
      message: 'Check the form.',
      details: [{ field: 'title', message: 'is required' }],
    });
  });

  it('names the missing thing in a stable kebab-case code', () => {
    const error = notFound('notice-request');
    expect(error).to.be.instanceOf(AppError);
    expect(error.code).to.equal('notice-request-not-found');
    expect(error.message).to.equal('No such notice request.');
  });

  it('masks unexpected errors so that no internal detail leaks to a client', () => {
    const { status, body } = toErrorBody(new Error('E11000 duplicate key in collection users'));
    expect(status).to.equal(500);
    expect(JSON.stringify(body)).not.to.include('E11000');
    expect(body.error.code).to.equal('internal-error');
  });
});
