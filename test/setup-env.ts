// Tests talk only to loopback emulators with dummy credentials; nothing may reach AWS.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_DEV ??= 'false';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
// A safety net: any SDK call that no emulator or mock answers goes to a closed loopback port, never to AWS.
process.env.AWS_ENDPOINT_URL ??= 'http://127.0.0.1:9';
