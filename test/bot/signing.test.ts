// The facade's bearer tokens: a verifier that keeps the tokens it verified still refuses
// every token it did not sign.
import { describe, expect, it } from 'vitest';
import { signToken, tokenVerifier, verifyToken } from '../../bot/directline/signing.js';

const key = Buffer.alloc(32, 3);

describe('tokenVerifier', () => {
  it('names the conversation of a signed token every time, and refuses forged or foreign ones after it', () => {
    const verify = tokenVerifier(key);
    const participant = { id: 'conv1', userId: 'dl_user.with.dots' };
    const token = signToken(key, participant);
    expect(verify(token)).toEqual(participant);
    expect(verify(token)).toEqual(participant);
    // What a caller does with the answer does not change the next one.
    verify(token)!.userId = 'someone-else';
    expect(verify(token)).toEqual(participant);
    const signature = token.slice(token.lastIndexOf('.') + 1);
    expect(verify(`conv2.dl_user.with.dots.${signature}`)).toBeNull();
    expect(verify(`${token}x`)).toBeNull();
    expect(verify(signToken(Buffer.alloc(32, 4), participant))).toBeNull();
    expect(verify('')).toBeNull();
    expect(verifyToken(key, token)).toEqual(participant);
  });
});
