-- The user scope (app.user_id: login, token refresh, password reset) exists to find a user's rows in
-- every tenant. It is narrowed to reading them: writes, including updates and deletes, need the
-- row's own tenant in scope, so a careless statement under the user scope cannot touch other tenants.
DROP POLICY memberships_tenant ON memberships;
CREATE POLICY memberships_tenant ON memberships
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY memberships_user_reads ON memberships FOR SELECT
    USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);

DROP POLICY refresh_tokens_tenant ON refresh_tokens;
CREATE POLICY refresh_tokens_tenant ON refresh_tokens
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY refresh_tokens_user_reads ON refresh_tokens FOR SELECT
    USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);
