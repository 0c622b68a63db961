-- CreateIndex
CREATE INDEX "ChatConversation_tokenHash_idx" ON "ChatConversation"("tokenHash");

