/** The English of what a callback page says while the sign-in it answers has not taken the answer yet (its page asleep in another tab): it travels with the relay, which shows it. */
export const relayLabels = {
  returnToApp: 'Return to the app to finish signing in.',
};
