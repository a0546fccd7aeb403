/** The English of what the element says about its session besides "Signed in": it travels with the flow, which shows it. */
export const sessionLabels = {
  sessionEndsIn: 'Your session ends in {time}',
  staySignedIn: 'Stay signed in',
  signedInElsewhere: 'Signed in with Aries in another tab',
};
