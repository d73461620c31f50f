// GraphExec on Azure Container Apps, as `azd up` provisions it (azure.yaml: infra/, provider bicep).
//
// One resource group holds: monitoring (Log Analytics, Application Insights), a user-assigned identity, the container
// registry and Key Vault it may read, PostgreSQL, Redis, blob storage, the Container Apps environment, RabbitMQ as a
// container app without a volume, and one container app per service. docs/deployment.md explains each choice.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('The azd environment\'s name: it names the resource group and seeds every resource\'s name.')
param environmentName string

@minLength(1)
@description('The region of every resource.')
param location string

@description('The signed-in user running azd, who may read back the generated secrets (azd sets it).')
param principalId string = ''

// Secrets: azd generates each on the first provision ($(secretOrRandomPassword ...) in main.parameters.json) and reads it
// back from Key Vault on the next, so that they stay the same. They go into Key Vault, never into an app's settings.
@secure()
param postgresAdminPassword string

@secure()
param rabbitmqPassword string

@secure()
@description('Signs the Api\'s JWTs; Live validates them with it.')
param jwtSigningKey string

@secure()
@description('Encrypts the Data Protection key rings, and so every credential, webhook secret and sign-in cookie.')
param dataProtectionKey string

@secure()
@description('The operator\'s password for the Scheduler\'s Hangfire dashboard (user "operator").')
param schedulerDashboardPassword string

// Whether azd has deployed each service's image already (SERVICE_<NAME>_RESOURCE_EXISTS).
param apiExists bool = false
param webhooksExists bool = false
param schedulerExists bool = false
param workerExists bool = false
param liveExists bool = false
param webExists bool = false

@description('The broker\'s image: RabbitMQ with its management plugin.')
param rabbitmqImage string = 'docker.io/library/rabbitmq:3.13-management'

@description('Networks whose X-Forwarded-For the services trust: the environment\'s ingress proxies.')
param trustedProxyNetworks array = ['10.0.0.0/8', '100.64.0.0/10']

param postgresSkuName string = 'Standard_B2s'
param postgresSkuTier string = 'Burstable'
param postgresStorageSizeGB int = 32
param redisSkuName string = 'Standard'
param redisSkuFamily string = 'C'
param redisCapacity int = 1

var tags = { 'azd-env-name': environmentName }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var postgresAdministrator = 'graphexec'
var rabbitmqUser = 'graphexec'
var valuesContainer = 'values'

// The services ask for at least 32 characters (JWT's HMAC-SHA256 key, the Data Protection key) and 16 (the dashboard).
// A shorter value is lengthened with a hash of itself: the same length of secret, the length the services check.
var jwtKey = length(jwtSigningKey) >= 32 ? jwtSigningKey : '${jwtSigningKey}-${guid(jwtSigningKey)}'
var protectionKey = length(dataProtectionKey) >= 32 ? dataProtectionKey : '${dataProtectionKey}-${guid(dataProtectionKey)}'
var dashboardPassword = length(schedulerDashboardPassword) >= 16 ? schedulerDashboardPassword : '${schedulerDashboardPassword}-${guid(schedulerDashboardPassword)}'

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: group
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: group
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    principalId: principalId
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  scope: group
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    vaultName: identity.outputs.vaultName
    administratorLogin: postgresAdministrator
    administratorPassword: postgresAdminPassword
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
  }
}

module redis 'modules/redis.bicep' = {
  name: 'redis'
  scope: group
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    vaultName: identity.outputs.vaultName
    skuName: redisSkuName
    skuFamily: redisSkuFamily
    capacity: redisCapacity
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: group
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    vaultName: identity.outputs.vaultName
    containerName: valuesContainer
  }
}

// The generated secrets, kept under the names main.parameters.json reads them back by.
module postgresPasswordSecret 'modules/vault-secret.bicep' = {
  name: 'secret-postgres-admin-password'
  scope: group
  params: {
    vaultName: identity.outputs.vaultName
    name: 'postgres-admin-password'
    value: postgresAdminPassword
  }
}

module rabbitmqPasswordSecret 'modules/vault-secret.bicep' = {
  name: 'secret-rabbitmq-password'
  scope: group
  params: {
    vaultName: identity.outputs.vaultName
    name: 'rabbitmq-password'
    value: rabbitmqPassword
  }
}

module rabbitmqConnectionSecret 'modules/vault-secret.bicep' = {
  name: 'secret-connectionstrings-rabbitmq'
  scope: group
  params: {
    vaultName: identity.outputs.vaultName
    name: 'connectionstrings-rabbitmq'
    // The broker's app name is its host inside the environment; the password is escaped for the URL.
    value: 'amqp://${rabbitmqUser}:${uriComponent(rabbitmqPassword)}@rabbitmq:5672/'
  }
}

module jwtSecret 'modules/vault-secret.bicep' = {
  name: 'secret-jwt-signing-key'
  scope: group
  params: {
    vaultName: identity.outputs.vaultName
    name: 'jwt-signing-key'
    value: jwtKey
  }
}

module dataProtectionSecret 'modules/vault-secret.bicep' = {
  name: 'secret-data-protection-key'
  scope: group
  params: {
    vaultName: identity.outputs.vaultName
    name: 'data-protection-key'
    value: protectionKey
  }
}

module dashboardSecret 'modules/vault-secret.bicep' = {
  name: 'secret-scheduler-dashboard-password'
  scope: group
  params: {
    vaultName: identity.outputs.vaultName
    name: 'scheduler-dashboard-password'
    value: dashboardPassword
  }
}

module environment 'modules/environment.bicep' = {
  name: 'environment'
  scope: group
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    workspaceName: monitoring.outputs.workspaceName
    insightsName: monitoring.outputs.insightsName
  }
}

module rabbitmq 'modules/rabbitmq.bicep' = {
  name: 'rabbitmq'
  scope: group
  params: {
    location: location
    tags: tags
    environmentId: environment.outputs.id
    identityId: identity.outputs.identityId
    userName: rabbitmqUser
    loginKeyVaultUrl: rabbitmqPasswordSecret.outputs.url
    image: rabbitmqImage
  }
}

// Key Vault references, by the name each app knows them as (Container Apps secret names). Every app uses the identity
// module's outputs, so it waits for that whole deployment, role assignments included: the identity may pull and read
// secrets before any app starts.
var database = { name: 'connectionstrings-graphexec', url: postgres.outputs.connectionStringUrl }
var broker = { name: 'connectionstrings-rabbitmq', url: rabbitmqConnectionSecret.outputs.url }
var cache = { name: 'connectionstrings-redis', url: redis.outputs.connectionStringUrl }
var blobs = { name: 'connectionstrings-blobs', url: storage.outputs.connectionStringUrl }
var jwt = { name: 'jwt-signing-key', url: jwtSecret.outputs.url }
var protection = { name: 'data-protection-key', url: dataProtectionSecret.outputs.url }
var dashboard = { name: 'scheduler-dashboard-password', url: dashboardSecret.outputs.url }

// The environment variable of each secret: ConnectionStrings__<name> as Aspire's WithReference sets it, or the setting.
var databaseEnv = { name: 'ConnectionStrings__graphexec', secretRef: 'connectionstrings-graphexec' }
var brokerEnv = { name: 'ConnectionStrings__rabbitmq', secretRef: 'connectionstrings-rabbitmq' }
var cacheEnv = { name: 'ConnectionStrings__redis', secretRef: 'connectionstrings-redis' }
var blobsEnv = { name: 'ConnectionStrings__blobs', secretRef: 'connectionstrings-blobs' }
var jwtEnv = { name: 'Jwt__SigningKey', secretRef: 'jwt-signing-key' }
var protectionEnv = { name: 'DataProtection__Key', secretRef: 'data-protection-key' }
var dashboardEnv = { name: 'Dashboard__Password', secretRef: 'scheduler-dashboard-password' }

// The HTTP services scale on concurrent requests per replica (KEDA's HTTP scaler); the figures are a start, to be tuned
// from the metrics.
var httpScale = {
  name: 'http-concurrency'
  http: { metadata: { concurrentRequests: '100' } }
}

var defaultDomain = environment.outputs.defaultDomain

module api 'modules/service.bicep' = {
  name: 'api'
  scope: group
  params: {
    name: 'api'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    identityId: identity.outputs.identityId
    registryLoginServer: identity.outputs.registryLoginServer
    trustedProxyNetworks: trustedProxyNetworks
    exists: apiExists
    ingress: 'external'
    secrets: [database, broker, cache, blobs, jwt, protection]
    env: [
      databaseEnv
      brokerEnv
      cacheEnv
      blobsEnv
      jwtEnv
      protectionEnv
      // The Api tells users the public URL of each webhook they create.
      { name: 'Webhooks__PublicBaseUrl', value: 'https://webhooks.${defaultDomain}' }
    ]
    minReplicas: 1
    maxReplicas: 10
    scaleRules: [httpScale]
    cpu: '1.0'
    memory: '2Gi'
  }
}

module webhooks 'modules/service.bicep' = {
  name: 'webhooks'
  scope: group
  params: {
    name: 'webhooks'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    identityId: identity.outputs.identityId
    registryLoginServer: identity.outputs.registryLoginServer
    trustedProxyNetworks: trustedProxyNetworks
    exists: webhooksExists
    ingress: 'external'
    secrets: [database, broker, cache, blobs, protection]
    env: [databaseEnv, brokerEnv, cacheEnv, blobsEnv, protectionEnv]
    minReplicas: 1
    maxReplicas: 10
    scaleRules: [httpScale]
    cpu: '1.0'
    memory: '2Gi'
  }
}

// The Scheduler runs at a fixed count. Two replicas are safe (the dispatcher claims due schedules with FOR UPDATE SKIP
// LOCKED and the unique trigger ref refuses a second execution per fire time; Hangfire runs each recurring job, the
// sweeper among them, on one server at a time; retention and partition jobs take a PostgreSQL advisory lock), so raise
// both counts together for availability. Its dashboard is password protected and internal: reach it from inside the
// environment (e.g. `az containerapp exec`), never from the internet.
module scheduler 'modules/service.bicep' = {
  name: 'scheduler'
  scope: group
  params: {
    name: 'scheduler'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    identityId: identity.outputs.identityId
    registryLoginServer: identity.outputs.registryLoginServer
    trustedProxyNetworks: trustedProxyNetworks
    exists: schedulerExists
    ingress: 'internal'
    secrets: [database, broker, blobs, dashboard]
    env: [
      databaseEnv
      brokerEnv
      blobsEnv
      dashboardEnv
    ]
    minReplicas: 1
    maxReplicas: 1
    scaleRules: []
    cpu: '0.5'
    memory: '1Gi'
  }
}

// The Worker scales on the runs waiting in its queue (KEDA's RabbitMQ scaler: one replica per 32 ready messages, the
// executions one Worker runs at once) and on CPU (graphs whose nodes compute rather than wait). Its ingress is internal:
// only its health and metrics endpoints listen.
module worker 'modules/service.bicep' = {
  name: 'worker'
  scope: group
  params: {
    name: 'worker'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    identityId: identity.outputs.identityId
    registryLoginServer: identity.outputs.registryLoginServer
    trustedProxyNetworks: trustedProxyNetworks
    exists: workerExists
    ingress: 'internal'
    secrets: [database, broker, cache, blobs, protection]
    env: [databaseEnv, brokerEnv, cacheEnv, blobsEnv, protectionEnv]
    minReplicas: 1
    maxReplicas: 20
    scaleRules: [
      {
        name: 'execute-graph-queue'
        custom: {
          type: 'rabbitmq'
          metadata: {
            queueName: 'execute-graph'
            mode: 'QueueLength'
            value: '32'
            protocol: 'amqp'
          }
          // KEDA reads the broker's address (with its password) from the app's Key Vault-backed secret.
          auth: [
            {
              secretRef: 'connectionstrings-rabbitmq'
              triggerParameter: 'host'
            }
          ]
        }
      }
      {
        name: 'cpu'
        custom: {
          type: 'cpu'
          metadata: {
            type: 'Utilization'
            value: '70'
          }
        }
      }
    ]
    cpu: '2.0'
    memory: '4Gi'
  }
  dependsOn: [rabbitmq]
}

// Live holds WebSockets. Each Live replica subscribes to Redis for the executions its own connections watch and sends
// only on them, so any replica serves any connection: no sticky sessions. An open WebSocket counts as a concurrent
// request, hence the higher figure.
module live 'modules/service.bicep' = {
  name: 'live'
  scope: group
  params: {
    name: 'live'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    identityId: identity.outputs.identityId
    registryLoginServer: identity.outputs.registryLoginServer
    trustedProxyNetworks: trustedProxyNetworks
    exists: liveExists
    ingress: 'external'
    secrets: [database, cache, jwt]
    env: [databaseEnv, cacheEnv, jwtEnv]
    minReplicas: 1
    maxReplicas: 10
    scaleRules: [
      {
        name: 'http-concurrency'
        http: { metadata: { concurrentRequests: '1000' } }
      }
    ]
    cpu: '0.5'
    memory: '1Gi'
  }
}

// The Web finds the Api and Live through service discovery (http://api, http://live), configured the way Aspire's
// WithReference does it: services__<name>__http__0. The endpoint must be http (service discovery drops an https value
// under the http key), and inside the environment every app answers http://<app name>; with peer-traffic encryption
// on, that traffic is encrypted between the environment's nodes all the same.
module web 'modules/service.bicep' = {
  name: 'web'
  scope: group
  params: {
    name: 'web'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    identityId: identity.outputs.identityId
    registryLoginServer: identity.outputs.registryLoginServer
    trustedProxyNetworks: trustedProxyNetworks
    exists: webExists
    ingress: 'external'
    secrets: [cache, protection]
    env: [
      cacheEnv
      protectionEnv
      { name: 'services__api__http__0', value: 'http://api' }
      { name: 'services__live__http__0', value: 'http://live' }
    ]
    minReplicas: 1
    maxReplicas: 5
    scaleRules: [httpScale]
    cpu: '0.5'
    memory: '1Gi'
  }
}

// What azd reads after provisioning (it keeps them in the environment's .env): where to push images, where to deploy,
// and the public addresses. No secret: the vault's name only.
output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = identity.outputs.registryLoginServer
output AZURE_CONTAINER_REGISTRY_NAME string = identity.outputs.registryName
output AZURE_CONTAINER_APPS_ENVIRONMENT_ID string = environment.outputs.id
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = environment.outputs.name
output AZURE_CONTAINER_APPS_ENVIRONMENT_DEFAULT_DOMAIN string = defaultDomain
output AZURE_KEY_VAULT_NAME string = identity.outputs.vaultName
output AZURE_KEY_VAULT_ENDPOINT string = identity.outputs.vaultUri
output MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.identityClientId
output SERVICE_API_URL string = 'https://${api.outputs.fqdn}'
output SERVICE_WEBHOOKS_URL string = 'https://${webhooks.outputs.fqdn}'
output SERVICE_LIVE_URL string = 'https://${live.outputs.fqdn}'
output SERVICE_WEB_URL string = 'https://${web.outputs.fqdn}'
