/// <reference types="aries-login/vue" />
