"""Creates the seed's environment network in a moto server, as Copilot
deploys fixtures/apprunner-vpc-v2-current (app apprunner-vpc, env test,
RDWS demo-service with a VPC connector, its Aurora cluster), and writes the
canned Describe output moto cannot serve into OUT: App Runner (moto has no
App Runner API). The resources are not created through CloudFormation, so
reachlint finds them as it does without stack resources: the VPC by its
Copilot tags, the database by its identifier, the groups by their names
(which hold the logical ids, as CloudFormation's generated names do).

    python moto_seed.py ENDPOINT OUT          create, write OUT/*.json, print ids
    python moto_seed.py ENDPOINT revoke SG    revoke the database's ingress rule
    python moto_seed.py ENDPOINT more VPC SUBNET SG
                                              more of what reachlint lists (DB
                                              instances, state machines, file
                                              systems and a mount target), so a
                                              small page size splits the answers
    python moto_seed.py ENDPOINT ecs          what fixtures/ecs-mixed deploys (app
                                              shop, env test): its network, the
                                              ECS services (no task: see below),
                                              the job's state machine, the managed
                                              file system's mount targets
"""
import json
import os
import sys

import boto3

endpoint = sys.argv[1]
kw = dict(endpoint_url=endpoint, region_name="us-east-1",
          aws_access_key_id="testing", aws_secret_access_key="testing")
ec2 = boto3.client("ec2", **kw)
rds = boto3.client("rds", **kw)

if sys.argv[2] == "revoke":
    sg, svc = sys.argv[3], sys.argv[4]
    ec2.revoke_security_group_ingress(GroupId=sg, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
        "UserIdGroupPairs": [{"GroupId": svc}]}])
    sys.exit(0)

if sys.argv[2] == "ecs":
    tags = [{"Key": "copilot-application", "Value": "shop"},
            {"Key": "copilot-environment", "Value": "test"}]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": tags}])["Vpc"]["VpcId"]
    pub, priv = [], []
    for cidr, az, public in [("10.0.0.0/24", "us-east-1a", True), ("10.0.1.0/24", "us-east-1b", True),
                             ("10.0.2.0/24", "us-east-1a", False), ("10.0.3.0/24", "us-east-1b", False)]:
        sub = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
        if public:
            ec2.modify_subnet_attribute(SubnetId=sub, MapPublicIpOnLaunch={"Value": True})
        (pub if public else priv).append(sub)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    for sub in pub:
        ec2.associate_route_table(RouteTableId=rt, SubnetId=sub)
    for i in (0, 1):
        eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
        nat = ec2.create_nat_gateway(SubnetId=pub[i], AllocationId=eip)["NatGateway"]["NatGatewayId"]
        rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
        ec2.associate_route_table(RouteTableId=rt, SubnetId=priv[i])
    group = lambda name: ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
    env_sg = group("shop-test-EnvironmentSecurityGroup-1A2B")
    lb_sg = group("shop-test-InternalLoadBalancerSecurityGroup-3C4D")
    efs_sg = group("shop-test-EFSSecurityGroup-5E6F")
    worker_sg = group("shop-test-worker-AddonsStack-1-WorkerSecurityGroup-7A8B")
    ec2.authorize_security_group_ingress(GroupId=env_sg, IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": env_sg}, {"GroupId": lb_sg}]}])
    ec2.authorize_security_group_ingress(GroupId=lb_sg, IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": env_sg}]}])
    ec2.authorize_security_group_ingress(GroupId=efs_sg, IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": env_sg}]}])
    ec2.revoke_security_group_egress(GroupId=worker_sg, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.authorize_security_group_egress(GroupId=worker_sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    efs = boto3.client("efs", **kw)
    fs = efs.create_file_system(CreationToken="shop-test")["FileSystemId"]
    for sub in priv:
        efs.create_mount_target(FileSystemId=fs, SubnetId=sub, SecurityGroups=[efs_sg])
    ecs = boto3.client("ecs", **kw)
    cluster = ecs.create_cluster(clusterName="shop-test-Cluster-Q1W2")["cluster"]["clusterArn"]
    # what each task pulls, logs to and is handed, as Copilot renders it
    # for fixtures/ecs-mixed's manifests
    logs = lambda name: {"logDriver": "awslogs", "options": {"awslogs-group": f"/copilot/shop-test-{name}", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "copilot"}}
    ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
    for family, image, env, volumes in [
            ("shop-test-api", f"{ecr}/api:1.4.2", [], [{"name": "shared", "efsVolumeConfiguration": {"fileSystemId": fs, "rootDirectory": "/", "transitEncryption": "ENABLED"}}]),
            ("shop-test-worker", f"{ecr}/shop/worker:latest", [{"name": "COPILOT_QUEUE_URI", "value": "https://sqs.us-east-1.amazonaws.com/123456789012/shop-test-worker-EventsQueue"}], []),
            ("shop-test-report", "public.ecr.aws/docker/library/python:3.12-slim", [], [])]:
        name = family.rsplit("-", 1)[1]
        ecs.register_task_definition(family=family, networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
                                     cpu="256", memory="512", volumes=volumes,
                                     containerDefinitions=[{"name": name, "image": image, "essential": True, "cpu": 256, "memory": 512,
                                                            "environment": [{"name": "COPILOT_SERVICE_NAME", "value": name}] + env,
                                                            "logConfiguration": logs(name)}])
    net = lambda subnets, sgs, public: {"awsvpcConfiguration": {"subnets": subnets, "securityGroups": sgs, "assignPublicIp": "ENABLED" if public else "DISABLED"}}
    # the internal load balancer in front of api (its `http`): HTTP on 80,
    # forwarding to api's target group on 8080
    elb = boto3.client("elbv2", **kw)
    lb = elb.create_load_balancer(Name="shop-t-Inter-1H2J", Subnets=priv, SecurityGroups=[lb_sg],
                                  Scheme="internal", Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(Name="shop-t-Targe-8P9Q", Protocol="HTTP", Port=8080, VpcId=vpc,
                                 TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
    elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
    for name, family, sgs, lbs in [("shop-test-api-Service-AbCd", "shop-test-api", [env_sg],
                                    [{"targetGroupArn": tg, "containerName": "api", "containerPort": 8080}]),
                                   ("shop-test-worker-Service-EfGh", "shop-test-worker", [worker_sg], [])]:
        ecs.create_service(cluster=cluster, serviceName=name, taskDefinition=family, desiredCount=0,
                           launchType="FARGATE", networkConfiguration=net(priv, sgs, False), loadBalancers=lbs)
    # no running task: moto 5.2.5's RunTask with awsvpc fails on its own ENI
    # (NetworkInterface has no private_dns_name); tasks are tested with
    # snapshots (fixtures/snapshot-ecs-mixed)
    sfn = boto3.client("stepfunctions", **kw)
    sfn.create_state_machine(name="shop-test-report", roleArn="arn:aws:iam::123456789012:role/machine", definition=json.dumps(
        {"StartAt": "Run Fargate Task", "States": {"Run Fargate Task": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync",
         "Parameters": {"LaunchType": "FARGATE", "Cluster": cluster, "TaskDefinition": "shop-test-report",
                        "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": pub, "AssignPublicIp": "ENABLED", "SecurityGroups": [env_sg]}}},
         "End": True}}}))
    print(json.dumps({"vpc": vpc, "efs_sg": efs_sg, "env_sg": env_sg, "fs": fs, "private": priv, "public": pub}))
    sys.exit(0)

if sys.argv[2] == "more":
    vpc, subnet, sg = sys.argv[3], sys.argv[4], sys.argv[5]
    ids = {"instances": [], "machines": [], "file_systems": [], "enis": []}
    for i in range(3):
        name = f"extra-postgres-{i}"
        rds.create_db_instance(DBInstanceIdentifier=name, Engine="postgres", DBInstanceClass="db.t3.micro",
                               MasterUsername="postgres", MasterUserPassword="not-a-secret-1234", AllocatedStorage=20)
        ids["instances"].append(name)
    sfn = boto3.client("stepfunctions", **kw)
    role = "arn:aws:iam::123456789012:role/machine"
    definition = json.dumps({"StartAt": "Run", "States": {"Run": {"Type": "Task",
        "Resource": "arn:aws:states:::ecs:runTask.sync", "Parameters": {"NetworkConfiguration": {
            "AwsvpcConfiguration": {"Subnets": [subnet], "SecurityGroups": [sg], "AssignPublicIp": "DISABLED"}}},
        "End": True}}})
    # the one named after a stack of the workspace is created last: it is on the last page
    for name in ["other-machine-1", "other-machine-2", "apprunner-vpc-test-demo-service"]:
        sfn.create_state_machine(name=name, definition=definition, roleArn=role)
        ids["machines"].append(name)
    efs = boto3.client("efs", **kw)
    for i in range(3):
        fs = efs.create_file_system(CreationToken=f"fs-{i}")["FileSystemId"]
        ids["file_systems"].append(fs)
    mt = efs.create_mount_target(FileSystemId=ids["file_systems"][-1], SubnetId=subnet, SecurityGroups=[sg])
    ids["enis"].append(mt.get("NetworkInterfaceId"))
    print(json.dumps(ids))
    sys.exit(0)

out = sys.argv[2]
os.makedirs(out, exist_ok=True)
tags = [{"Key": "copilot-application", "Value": "apprunner-vpc"},
        {"Key": "copilot-environment", "Value": "test"}]
vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": tags}])["Vpc"]["VpcId"]
subnets = {}
for name, cidr, az, public in [("PublicSubnet1", "10.0.0.0/24", "us-east-1a", True),
                               ("PublicSubnet2", "10.0.1.0/24", "us-east-1b", True),
                               ("PrivateSubnet1", "10.0.2.0/24", "us-east-1a", False),
                               ("PrivateSubnet2", "10.0.3.0/24", "us-east-1b", False)]:
    s = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
    if public:
        ec2.modify_subnet_attribute(SubnetId=s, MapPublicIpOnLaunch={"Value": True})
    subnets[name] = s
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
nats = {}
for i in (1, 2):
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nats[i] = ec2.create_nat_gateway(SubnetId=subnets[f"PublicSubnet{i}"], AllocationId=eip)["NatGateway"]["NatGatewayId"]
public_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
for n in ("PublicSubnet1", "PublicSubnet2"):
    ec2.associate_route_table(RouteTableId=public_rt, SubnetId=subnets[n])
for i in (1, 2):
    rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nats[i])
    ec2.associate_route_table(RouteTableId=rt, SubnetId=subnets[f"PrivateSubnet{i}"])
env_sg = ec2.create_security_group(GroupName="apprunner-vpc-test-EnvironmentSecurityGroup-1A2B", Description="env", VpcId=vpc)["GroupId"]
svc_sg = ec2.create_security_group(GroupName="apprunner-vpc-test-demo-service-ServiceSecurityGroup-3C4D", Description="connector", VpcId=vpc)["GroupId"]
db_sg = ec2.create_security_group(GroupName="apprunner-vpc-test-demo-service-AddonsStack-1-demoDbDBClusterSecurityGroup-5E6F", Description="db", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=env_sg, IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": env_sg}, {"GroupId": svc_sg}]}])
ec2.authorize_security_group_ingress(GroupId=db_sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": svc_sg}]}])
group = "apprunner-vpc-test-demo-service-addonsstack-1-demodbdbsubnetgroup-a1b2c3"
rds.create_db_subnet_group(DBSubnetGroupName=group, DBSubnetGroupDescription="private subnets",
                           SubnetIds=[subnets["PrivateSubnet1"], subnets["PrivateSubnet2"]])
cluster = "apprunner-vpc-test-demo-service-addo-demodbdbcluster-1a2b3c4d5e6f"
rds.create_db_cluster(DBClusterIdentifier=cluster, Engine="aurora-postgresql", EngineVersion="16.15", Port=5432,
                      MasterUsername="postgres", MasterUserPassword="not-a-secret-1234",
                      DBSubnetGroupName=group, VpcSecurityGroupIds=[db_sg])

conn = "arn:aws:apprunner:us-east-1:123456789012:vpcconnector/apprunner-vpc-test-demo-service/1/0123456789abcdef"
svc = "arn:aws:apprunner:us-east-1:123456789012:service/apprunner-vpc-test-demo-service/89abcdef01234567"
def write(name, obj):
    with open(os.path.join(out, name), "w") as f:
        json.dump(obj, f, indent=2)
write("apprunner-vpc-connector.json", {"VpcConnector": {
    "VpcConnectorName": "apprunner-vpc-test-demo-service", "VpcConnectorArn": conn,
    "Subnets": [subnets["PrivateSubnet1"], subnets["PrivateSubnet2"]],
    "SecurityGroups": [svc_sg, env_sg], "Status": "ACTIVE"}})
write("apprunner-service.json", {"Service": {
    "ServiceName": "apprunner-vpc-test-demo-service", "ServiceArn": svc,
    "NetworkConfiguration": {"EgressConfiguration": {"EgressType": "VPC", "VpcConnectorArn": conn}}}})
print(json.dumps({"vpc": vpc, "db_sg": db_sg, "svc_sg": svc_sg, "private_subnet": subnets["PrivateSubnet1"]}))
