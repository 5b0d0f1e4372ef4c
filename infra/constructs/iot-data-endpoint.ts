import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/**
 * The account's AWS IoT Core data endpoint (`iot:DescribeEndpoint`, type `iot:Data-ATS`), looked up at deploy time
 * so that no stage config has to carry it and synth stays offline. Functions that publish to devices get it as
 * `AWS_ENDPOINT_URL_IOT_DATA_PLANE`, which the SDK's IoTDataPlaneClient reads itself.
 */
export class IotDataEndpoint extends Construct {
  /** `https://{prefix}-ats.iot.{region}.amazonaws.com` (a deploy-time token). */
  readonly url: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const lookup = new AwsCustomResource(this, 'Describe', {
      onUpdate: {
        service: 'Iot',
        action: 'describeEndpoint',
        parameters: { endpointType: 'iot:Data-ATS' },
        physicalResourceId: PhysicalResourceId.of('iot-data-ats-endpoint'),
      },
      // DescribeEndpoint has no resource to scope to: IAM only accepts `*` for it.
      policy: AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['iot:DescribeEndpoint'], resources: ['*'] }),
      ]),
      installLatestAwsSdk: false,
    });
    this.url = `https://${lookup.getResponseField('endpointAddress')}`;
    Validations.of(lookup).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'iot:DescribeEndpoint supports no resource-level permissions; it is the only action of this policy.',
    });
    // The CDK's one provider function for AwsCustomResource in this stack (a singleton, created with the lookup).
    const providerFunction = Stack.of(this).node.tryFindChild(
      `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
    );
    if (providerFunction) {
      Validations.of(providerFunction).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'The CDK AwsCustomResource provider (a deploy-time lookup of the IoT data endpoint, run once per deploy) ' +
          "comes with this managed policy; it only writes the provider's own logs.",
      });
    }
  }
}
