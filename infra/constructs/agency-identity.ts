import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES, type Role } from '../../shared/domain/roles';
import type { AgencyIdentityConfig } from '../config/stage-config';

export interface AgencyIdentityProps extends AgencyIdentityConfig {
  /** User pool name, e.g. `kouan-dev-agencies`. */
  readonly userPoolName: string;
  /** App client name, e.g. `kouan-dev-agency-apps`. */
  readonly clientName: string;
  /** What happens to the pool (and so to every user in it) when the stack lets go of it. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * Lifetime of access and ID tokens. Short, because API Gateway cannot revoke a token it has already accepted:
   * a removed user or group keeps working until the token expires.
   * @default Duration.minutes(15)
   */
  readonly tokenValidity?: Duration;
  /**
   * Lifetime of refresh tokens: how long an agency app stays signed in without the password.
   * @default Duration.hours(12) (one shift)
   */
  readonly refreshTokenValidity?: Duration;
}

/**
 * Who may call the agency API: one Cognito user pool for every agency, one group per role of CONTRACT.md §3 (the
 * group name is the role, carried in the token's `cognito:groups` claim), and one public app client for the
 * agency apps. Users are created by an administrator only (no self sign-up); the pool holds them, so it lives in
 * the stateful stack.
 */
export class AgencyIdentity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly groups: Readonly<Record<Role, cognito.UserPoolGroup>>;
  /** The token issuer (`iss`) the API's JWT authorizer accepts: `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: AgencyIdentityProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: props.userPoolName,
      selfSignUpEnabled: false,
      userInvitation: {
        emailSubject: 'Your Kouan agency account',
        emailBody:
          'An administrator created your Kouan account. User name: {username}. Temporary password: {####}. ' +
          'You will choose your own password at first sign-in.',
      },
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // TOTP only: SMS needs an SNS spending limit and origination identity, e-mail MFA needs SES.
      mfa: props.mfa === 'required' ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true, email: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus in every stage, so that dev exercises the same threat protection that prod enforces.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode:
        props.threatProtection === 'enforced'
          ? cognito.StandardThreatProtectionMode.FULL_FUNCTION
          : cognito.StandardThreatProtectionMode.AUDIT_ONLY,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });
    if (props.mfa !== 'required') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'Non-production stage only (validateStageConfig refuses optional MFA in production): test users and the ' +
          'CLI smoke test sign in with a password alone. Users may still enrol TOTP; prod requires it.',
      });
    }

    const groups = {} as Record<Role, cognito.UserPoolGroup>;
    for (const role of ROLES) {
      groups[role] = new cognito.UserPoolGroup(this, `Group-${role}`, {
        userPool: this.userPool,
        groupName: role,
        description: `Kouan role ${role} (CONTRACT.md §3); the API reads it from the token's cognito:groups claim`,
      });
    }
    this.groups = groups;

    const tokenValidity = props.tokenValidity ?? Duration.minutes(15);
    this.client = this.userPool.addClient('AgencyApps', {
      userPoolClientName: props.clientName,
      // A public client: agency apps are browser and CLI apps, which cannot keep a secret.
      generateSecret: false,
      authFlows: { userSrp: true, adminUserPassword: props.adminPasswordAuth, userPassword: false, custom: false },
      // No hosted UI yet (it needs a domain and the apps' callback URLs): SRP from the apps, see docs/deploy.md.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: tokenValidity,
      idTokenValidity: tokenValidity,
      refreshTokenValidity: props.refreshTokenValidity ?? Duration.hours(12),
      authSessionValidity: Duration.minutes(3),
    });

    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
